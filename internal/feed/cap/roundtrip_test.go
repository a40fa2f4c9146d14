package cap

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap/captest"
)

func TestRoundTripSamples(t *testing.T) {
	t.Parallel()
	samples := captest.Samples(t)
	if len(samples) < 5 {
		t.Fatalf("want the 5 samples, found %d", len(samples))
	}
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			a, err := Parse(s.Data)
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
			captest.Xmllint(t, out)
		})
	}
}

// The invalid sample puts an XML fragment inside <description>; the schema
// rejects it because text elements are simple types.
func TestInvalidSampleRejected(t *testing.T) {
	t.Parallel()
	for _, s := range captest.Invalid(t) {
		f := s.Name
		_, err := Parse(s.Data)
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
