package plan

import (
	"slices"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"30m", 30 * time.Minute, "30m"},
		{"4h", 4 * time.Hour, "4h"},
		{"1h30m", 90 * time.Minute, "90m"},
		{"2d", 48 * time.Hour, "2d"},
		{"1w", 7 * 24 * time.Hour, "1w"},
		{"10m", 10 * time.Minute, "10m"},
		{"45s", 45 * time.Second, "45s"},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		if err != nil || time.Duration(d) != tt.want || d.String() != tt.out {
			t.Errorf("ParseDuration(%q) = %v (%s), %v", tt.in, time.Duration(d), d, err)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Errorf("round trip of %q: %v %v", tt.in, back, err)
		}
	}
	for _, bad := range []string{"", "soon", "-5m", "0", "3x", "d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	if bad := UnknownPlaceholders("At {{location}} on {{ occurred_at }} {{colour}}"); len(bad) != 1 || bad[0] != "colour" {
		t.Fatalf("unknown: %v", bad)
	}
	got := Fill("Typhoon at {{location}}, {{area}}", map[string]string{"location": "Harbour"})
	if got != "Typhoon at Harbour, …" {
		t.Fatalf("Fill = %q", got)
	}
}

func TestThreeDistinctSignatures(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	author := authz.Actor{UserID: 1, Name: "ed", Role: authz.Editor}
	reviewer := authz.Actor{UserID: 2, Name: "rv", Role: authz.Reviewer}
	approver := authz.Actor{UserID: 3, Name: "ap", Role: authz.Approver}
	commanderAuthor := authz.Actor{UserID: 1, Name: "ed", Role: authz.Commander}
	p := Plan{Status: Draft, AuthorID: 1, Title: "T", Body: Body{}}
	p, err := Submit(p, author, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Review(p, authz.Actor{UserID: 1, Role: authz.Reviewer}, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author reviewing: %v", err)
	}
	if p, err = Review(p, reviewer, now, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Approve(p, commanderAuthor, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author approving as commander: %v", err)
	}
	if _, err := Approve(p, authz.Actor{UserID: 2, Role: authz.Approver}, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("reviewer approving: %v", err)
	}
	if p, err = Approve(p, approver, now, ""); err != nil || p.Status != Approved || !p.ReviewDue.Equal(now.AddDate(1, 0, 0)) {
		t.Fatalf("approve: %v %+v", err, p)
	}
	if _, err := Approve(p, approver, now, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("approving twice: %v", err)
	}
}

// TestValidateRefusesTextThatCannotBePublished checks that every text of a
// plan is held to plaintext's rule, named by its position, after Normalize
// has turned pasted line breaks into "\n".
func TestValidateRefusesTextThatCannotBePublished(t *testing.T) {
	t.Parallel()
	base := func() Body {
		return Body{
			Scope:      "All districts",
			Activation: map[catalog.Level]string{catalog.LevelII: "Signal 8"},
			Steps: []Step{{Key: "r1", Phase: Response, Title: "Notice", Levels: []catalog.Level{2}, OwnerRole: authz.Editor,
				Deadline: Duration(30 * time.Minute), Checklist: []string{"Draft", "Approve"}}},
			Contacts:  []Contact{{Name: "Duty officer", Role: "Operations", Phone: "+85221234567"}},
			Resources: []Resource{{Name: "Sandbags", Quantity: "500", Location: "Depot"}},
			Templates: []Template{{Level: catalog.LevelII, Audience: Public, Language: "en", Headline: "Typhoon", Body: "Stay in."}},
			Matrix: []CommRow{{Key: "c1", Level: catalog.LevelII, Audience: "public", Content: "Update",
				Channels: []string{"web"}, Cadence: Duration(time.Hour), Phase: Response}},
		}
	}
	for _, tc := range []struct {
		name  string
		title string
		edit  func(*Body)
		field string
	}{
		{"title", "Typhoon\x00plan", func(*Body) {}, "title"},
		{"scope", "T", func(b *Body) { b.Scope = "All\x1bdistricts" }, "scope"},
		{"activation", "T", func(b *Body) { b.Activation[catalog.LevelII] = "Signal\x008" }, "activation"},
		{"step title", "T", func(b *Body) { b.Steps[0].Title = "No\x07tice" }, "steps[0].title"},
		{"checklist", "T", func(b *Body) { b.Steps[0].Checklist[1] = "App\x7frove" }, "steps[0].checklist"},
		{"contact", "T", func(b *Body) { b.Contacts[0].Phone = "+852\x002123" }, "contacts[0].phone"},
		{"resource", "T", func(b *Body) { b.Resources[0].Location = "De\u0081pot" }, "resources[0].location"},
		{"template headline", "T", func(b *Body) { b.Templates[0].Headline = "Typ\x00hoon" }, "templates[0].headline"},
		{"template body", "T", func(b *Body) { b.Templates[0].Body = "Stay\x1f in." }, "templates[0].body"},
		{"matrix content", "T", func(b *Body) { b.Matrix[0].Content = "Up\x02date" }, "matrix[0].content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := base()
			tc.edit(&b)
			b.Normalize()
			err := Validate(tc.title, b)
			if !slices.ContainsFunc(fault.FieldsOf(err), func(e *fault.Error) bool { return e.Field == tc.field }) {
				t.Errorf("Validate = %v; want invalid %s", err, tc.field)
			}
		})
	}
	t.Run("pasted breaks", func(t *testing.T) {
		t.Parallel()
		b := base()
		b.Templates[0].Body = "Stay in.\vAvoid the coast.\r\nShelters\u2028open."
		b.Steps[0].Checklist[0] = "Draft from template\r\n"
		b.Normalize()
		if err := Validate("Typhoon plan", b); err != nil {
			t.Fatalf("pasted breaks refused: %v", err)
		}
		if b.Templates[0].Body != "Stay in.\nAvoid the coast.\nShelters\nopen." || b.Steps[0].Checklist[0] != "Draft from template" {
			t.Errorf("normalised: %q, %q", b.Templates[0].Body, b.Steps[0].Checklist[0])
		}
	})
}

func TestTemplateGaps(t *testing.T) {
	t.Parallel()
	full := Template{Level: catalog.LevelII, Audience: Public, Language: "en", Headline: "Typhoon at {{location}}", Body: "Stay indoors.",
		Instruction: "Keep away from the shore.", Contact: "Hotline 1823",
		CAP: TemplateCAP{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed", Area: "{{area}}"}}
	if gaps := TemplateGaps(Body{Templates: []Template{full}}); len(gaps) != 0 {
		t.Fatalf("a complete template has gaps: %v", gaps)
	}
	partial := full
	partial.Instruction, partial.CAP.Urgency, partial.CAP.Area = "", "", ""
	internal := Template{Level: catalog.LevelII, Audience: Internal, Language: "en", Headline: "Briefing", Body: "Room 3.", Contact: "x"}
	got := map[string]bool{}
	for _, g := range TemplateGaps(Body{Templates: []Template{full, partial, internal}}) {
		got[g.Field] = true
	}
	want := []string{"templates[1].instruction", "templates[1].cap.urgency", "templates[1].cap.area", "templates[2].instruction"}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no gap %s in %v", w, got)
		}
	}
	if len(got) != len(want) || got["templates[2].cap.event"] {
		t.Errorf("gaps %v, want exactly %v (internal templates need no CAP)", got, want)
	}
}
