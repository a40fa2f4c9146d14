package feedback_test

import (
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
)

func TestSubmissionRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    feedback.Submission
		field string // "" when valid
	}{
		{"a question", feedback.Submission{Message: "Is the school open?", Channel: feedback.Web}, ""},
		{"with an e-mail", feedback.Submission{Message: "Open?", Contact: "A@Example.org", Channel: feedback.Web}, ""},
		{"with a local-looking number", feedback.Submission{Message: "Open?", Contact: "+852 9123 4567", Channel: feedback.SMS}, ""},
		{"empty", feedback.Submission{Message: " \n ", Channel: feedback.Web}, "message"},
		{"5,001 characters", feedback.Submission{Message: strings.Repeat("a", 5001), Channel: feedback.Web}, "message"},
		{"20,000 characters", feedback.Submission{Message: strings.Repeat("颱", 20000), Channel: feedback.Web}, "message"},
		{"control character", feedback.Submission{Message: "open\x07?", Channel: feedback.Web}, "message"},
		{"contact with a name", feedback.Submission{Message: "Open?", Contact: "Mei <mei@example.org>", Channel: feedback.Web}, "contact"},
		{"contact of words", feedback.Submission{Message: "Open?", Contact: "ring me", Channel: feedback.Web}, "contact"},
		{"unknown channel", feedback.Submission{Message: "Open?", Channel: "fax"}, "channel"},
		{"expert without id", feedback.Submission{Message: "Dam?", Channel: feedback.Link, Source: feedback.Expert}, "source_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := feedback.Receive(c.in, time.Now())
			fields := fault.FieldsOf(err)
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.field != "" && (len(fields) == 0 || fields[0].Field != c.field):
				t.Fatalf("want a refusal naming %s, got %v", c.field, err)
			}
		})
	}
}

func TestReplyByPerCategory(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		category feedback.Category
		within   time.Duration
	}{
		{feedback.Error, 4 * time.Hour},
		{feedback.Question, 24 * time.Hour},
		{feedback.Complaint, 72 * time.Hour},
		{feedback.Suggestion, 7 * 24 * time.Hour},
		{feedback.Other, 72 * time.Hour},
	}
	for _, c := range cases {
		f, err := feedback.Receive(feedback.Submission{Message: "x", Channel: feedback.Web, Category: c.category}, now)
		if err != nil || !f.ReplyDue.Equal(now.Add(c.within)) {
			t.Errorf("%s: due %s, %v", c.category, f.ReplyDue, err)
		}
		if f.Overdue(now.Add(c.within)) || !f.Overdue(now.Add(c.within+time.Second)) {
			t.Errorf("%s: overdue at the wrong moment", c.category)
		}
	}
}

func TestReferences(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		r := feedback.NewRef()
		if feedback.NormalizeRef(r) != r || seen[r] {
			t.Fatalf("reference %q", r)
		}
		seen[r] = true
	}
	cases := map[string]string{
		"fb-7kq3-m9xd": "FB-7KQ3-M9XD", "FB 7KQ3 M9XD": "FB-7KQ3-M9XD", "7kq3m9xd": "FB-7KQ3-M9XD",
		"FB-OI00-L000": "FB-0100-1000", "FB-7KQ3": "", "FB-7KQ3-M9XU": "", "<script>": "",
	}
	for in, want := range cases {
		if got := feedback.NormalizeRef(in); got != want {
			t.Errorf("NormalizeRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskContact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"resident@example.org": "re***@example.org", "a@b.org": "a***@b.org",
		"+85291234567": "+8529***67", "": ""} {
		if got := feedback.MaskContact(in); got != want {
			t.Errorf("MaskContact(%q) = %q, want %q", in, got, want)
		}
	}
}

// The transitions check the matrix and the state, and change nothing on
// a refusal.
func TestTransitions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	ed := authz.Actor{UserID: 2, Name: "editor", Role: authz.Editor}
	obs := authz.Actor{UserID: 3, Name: "observer", Role: authz.Observer}
	f, err := feedback.Receive(feedback.Submission{Message: "Ferry at 20:00?", Channel: feedback.Web, Contact: "a@example.org"}, now)
	if err != nil {
		t.Fatal(err)
	}
	f.ID = 1
	if _, err := feedback.Reply(f, obs, now, "yes"); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("observer reply: %v", err)
	}
	if _, err := feedback.Publish(f, ed, now, "q", "a"); !hasField(err, "crisis_id") {
		t.Fatalf("publish without a crisis: %v", err)
	}
	tri, err := feedback.ApplyTriage(f, ed, now, feedback.Triage{Category: feedback.Error, Priority: feedback.High, CrisisID: 7, Tags: []string{" Ferry ,ferry", "piers"}})
	if err != nil || tri.ReplyDue != now.Add(4*time.Hour) || strings.Join(tri.Tags, "|") != "ferry|piers" || tri.State != feedback.Triaged {
		t.Fatalf("triage %+v %v", tri, err)
	}
	if _, err := feedback.Publish(tri, ed, now, "q", "a"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("publish before a reply: %v", err)
	}
	rep, err := feedback.Reply(tri, ed, now.Add(time.Hour), "18:00; corrected.")
	if err != nil || rep.State != feedback.Replied || rep.ReplyChannel != feedback.Email || rep.RepliedBy != ed.UserID {
		t.Fatalf("reply %+v %v", rep, err)
	}
	other := f
	other.ID = 2
	if _, _, err := feedback.Merge(rep, rep, ed, now); !hasField(err, "into") {
		t.Fatalf("merge into itself: %v", err)
	}
	dup, into, err := feedback.Merge(other, rep, ed, now)
	if err != nil || dup.State != feedback.Merged || dup.MergedInto != rep.ID || into.Steps[len(into.Steps)-1].Action != "absorb" {
		t.Fatalf("merge %+v %v", dup, err)
	}
	if _, err := feedback.TakeAction(dup, ed, now, "x"); !fault.Is(err, fault.Conflict) {
		t.Fatalf("acting on merged feedback: %v", err)
	}
	if p := feedback.PublicOf(dup, &rep); p.Reply != rep.Reply || p.State != feedback.Replied {
		t.Fatalf("the duplicate's sender sees %+v", p)
	}
}

func hasField(err error, field string) bool {
	for _, f := range fault.FieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
