package team

import (
	"testing"
	"time"

	"crisisdesk/internal/fault"
)

// field is the first field an error names, "" for none.
func field(err error) string {
	if fs := fault.FieldsOf(err); len(fs) > 0 {
		return fs[0].Field
	}
	if fault.Is(err, fault.Invalid) {
		return fault.As(err).Field
	}
	return ""
}

func TestValidateNamesTheField(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"good outside member", Input{Kind: Outside, Name: "Amy", Email: "amy@example.org"}.Validate(), ""},
		{"bad e-mail", Input{Kind: Outside, Name: "Amy", Email: "amy@example"}.Validate(), "email"},
		{"bad phone", Input{Kind: Outside, Name: "Amy", Phone: "9123"}.Validate(), "phone"},
		{"staff without account", Input{Kind: Staff}.Validate(), "user_id"},
		{"shift ends first", Shift{RoleKey: Hotline, MemberID: 1, StartsAt: day, EndsAt: day.Add(-time.Hour)}.Validate(), "ends_at"},
		{"shift too long", Shift{RoleKey: Hotline, MemberID: 1, StartsAt: day, EndsAt: day.Add(8 * 24 * time.Hour)}.Validate(), "ends_at"},
		{"certificate expires before issue", Certificate{MemberID: 1, CourseID: 1, IssuedAt: day, ExpiresAt: day.Add(-time.Hour)}.Validate(), "expires_at"},
		{"interview score", Interview{At: day, Panel: []string{"Ho"}, Score: 6}.Validate(), "score"},
		{"role key", RoleInput{Key: "Bad Key", Name: "x"}.Validate(false), "key"},
		{"upload too big", ValidateUpload("Handbook", "h.pdf", MaxMaterial+1), "file"},
	}
	for _, c := range cases {
		if got := field(c.err); got != c.want {
			t.Errorf("%s: %v names %q, want %q", c.name, c.err, got, c.want)
		}
	}
}

func TestShiftsOverlapAndCover(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	a := Shift{StartsAt: day, EndsAt: day.Add(12 * time.Hour)}
	for _, c := range []struct {
		name string
		b    Shift
		want bool
	}{
		{"back to back", Shift{StartsAt: day.Add(12 * time.Hour), EndsAt: day.Add(24 * time.Hour)}, false},
		{"one hour shared", Shift{StartsAt: day.Add(11 * time.Hour), EndsAt: day.Add(13 * time.Hour)}, true},
		{"inside", Shift{StartsAt: day.Add(time.Hour), EndsAt: day.Add(2 * time.Hour)}, true},
	} {
		if got := a.Overlaps(c.b); got != c.want {
			t.Errorf("%s: overlaps %v, want %v", c.name, got, c.want)
		}
	}
	if !a.Covers(day) || a.Covers(day.Add(12*time.Hour)) {
		t.Error("a shift covers its start but not its end")
	}
	m := Anonymise(Member{ID: 3, Name: "Amy", Email: "a@example.org", Phone: "+85291234567", Roles: []string{Hotline}, Active: true})
	if m.Name != "" || m.Email != "" || m.Phone != "" || len(m.Roles) != 0 || m.Active || !m.Anonymised || m.ID != 3 {
		t.Errorf("anonymised %+v", m)
	}
}
