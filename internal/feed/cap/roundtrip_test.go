package cap

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"crisisdesk/internal/fault"
)

func TestRoundTripSamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(standards, "samples", "*.*"))
	if err != nil || len(files) < 5 {
		t.Fatalf("want the 5 samples in %s, found %d (%v)", standards, len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			out, err := Marshal(a)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			b, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse again: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("round trip differs:\n first: %+v\nsecond: %+v", a, b)
			}
			out2, err := Marshal(b)
			if err != nil || string(out2) != string(out) {
				t.Fatalf("second marshal differs (err %v)", err)
			}
			xmllint(t, out)
		})
	}
}

// The invalid sample puts an XML fragment inside <description>; the schema
// rejects it because text elements are simple types.
func TestInvalidSampleRejected(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(standards, "samples", "invalid", "*"))
	if len(files) == 0 {
		t.Fatal("no invalid sample found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(data)
		if err == nil {
			t.Fatalf("%s: Parse accepted it", f)
		}
		if !fault.Is(err, fault.Invalid) || !strings.Contains(err.Error(), "info[0].description") ||
			!strings.Contains(err.Error(), "<typhoon-info>") {
			t.Fatalf("%s: reason %q does not name info[0].description and <typhoon-info>", f, err)
		}
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Field != "info[0].description" {
			t.Fatalf("field = %v, want info[0].description", fe)
		}
	}
}
