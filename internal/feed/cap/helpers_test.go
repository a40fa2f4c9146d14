package cap

import (
	"strings"
	"time"
)

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

// RefOf returns the reference to a, for an Update, Cancel, Ack or Error.
func RefOf(a Alert) Reference {
	return Reference{Sender: a.Sender, Identifier: a.Identifier, Sent: FormatTime(a.Sent)}
}

// JoinList formats items for addresses or incidents: space-separated, with
// double quotes around an item that contains a space (RULES.md R10). CAP
// has no escape for a double quote inside an item; Validate rejects one.
func JoinList(items ...string) string {
	s := make([]string, len(items))
	for i, it := range items {
		if strings.ContainsAny(it, " \t\n") {
			it = `"` + it + `"`
		}
		s[i] = it
	}
	return strings.Join(s, " ")
}
