package cap

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crisisdesk/internal/feed/cap/captest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.xml")

// golden is a representative notice: a correction (Update) in three
// languages with polygon, circle and geocode, and markup in its text.
func golden() Alert {
	orig := validAlert()
	a := multilingual()
	a.Identifier = "crisisdesk-N-0002"
	a.MsgType = "Update"
	a.Sent = orig.Sent.Add(45 * time.Minute)
	a.References = JoinReferences(RefOf(orig))
	a.Note = "Correction: the evacuation area now includes <Riverside> & the old harbour."
	for i := range a.Info {
		a.Info[i].Instruction += " <script>alert(1)</script>"
	}
	return a
}

func TestGolden(t *testing.T) {
	t.Parallel()
	out, err := Marshal(golden())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "update-multilingual.golden.xml")
	if *update {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("output differs from %s (run go test -update and review the diff):\n%s", path, out)
	}
	captest.Xmllint(t, want)
}
