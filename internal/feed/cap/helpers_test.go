package cap

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// standards is shared/standards/cap, which sits next to the repository
// checkout: /work/main/internal/feed/cap → /work/shared/standards/cap.
const standards = "../../../../shared/standards/cap"

var tpe = time.FixedZone("", 8*3600)

func f64(f float64) *float64 { return &f }

// validAlert returns a fresh, valid alert with every kind of area.
func validAlert() Alert {
	sent := time.Date(2026, 11, 25, 9, 30, 0, 0, tpe)
	return Alert{
		Identifier: "crisisdesk-N-0001",
		Sender:     "alerts@crisisdesk.example.gov",
		Sent:       sent,
		Status:     "Actual",
		MsgType:    "Alert",
		Source:     "Crisis Office",
		Scope:      "Public",
		Code:       []string{"crisisdesk"},
		Incidents:  JoinList("C-7", "river flood"),
		Info: []Info{{
			Language:     "en",
			Category:     []string{"Met", "Safety"},
			Event:        "Flood",
			ResponseType: []string{"Evacuate", "Monitor"},
			Urgency:      "Immediate",
			Severity:     "Severe",
			Certainty:    "Observed",
			Audience:     "Residents",
			EventCode:    []ValueName{{"SAME", "FLW"}},
			Effective:    sent,
			Onset:        sent.Add(30 * time.Minute),
			Expires:      sent.Add(6 * time.Hour),
			SenderName:   "Crisis Office",
			Headline:     "Flood warning for the river district",
			Description:  "The river is rising.\nLevels peak tonight.",
			Instruction:  "Leave the low-lying streets now.",
			Web:          "https://crisisdesk.example.gov/notices/1",
			Contact:      "1999",
			Parameter:    []ValueName{{"alert_color", "red"}},
			Resource: []Resource{{
				ResourceDesc: "Map", MimeType: "image/png", Size: 1024,
				URI: "https://crisisdesk.example.gov/map.png", Digest: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
			}},
			Area: []Area{{
				AreaDesc: "River district",
				Polygon:  []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"},
				Circle:   []string{"22.55,114.1 2.5"},
				Geocode:  []ValueName{{"Taiwan_Geocode_103", "63"}},
				Altitude: f64(0),
				Ceiling:  f64(1500.5),
			}},
		}},
	}
}

// xmllint validates doc against the official schema. Without xmllint the
// test is skipped locally and fails in CI, where .ci/run must install
// libxml2-utils.
func xmllint(t *testing.T, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint not found: install libxml2-utils in .ci/run")
		}
		t.Skip("xmllint not found (apt-get install -y libxml2-utils); skipped outside CI")
	}
	f := filepath.Join(t.TempDir(), "alert.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join(standards, "CAP-v1.2.xsd"), f)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out.String(), doc)
	}
}
