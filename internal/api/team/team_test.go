package team_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/team"
	"crisisdesk/internal/app/apptest"
)

// TestTeamAPI adds members, refuses bad input naming the field, masks an
// outside member's contact details from those who may not see them,
// puts people on duty, refuses an overlap, and answers who is on duty.
func TestTeamAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	for _, c := range []struct {
		name, who, path, body string
		want                  int
		loc                   string
	}{
		{"editor may not add", "editor", "/api/v1/team", `{"name":"Amy","email":"amy@example.org"}`, 403, ""},
		{"bad e-mail", "commander", "/api/v1/team", `{"name":"Amy","email":"amy at example"}`, 422, "body.email"},
		{"bad phone", "commander", "/api/v1/team", `{"name":"Amy","phone":"12"}`, 422, "body.phone"},
		{"no name", "commander", "/api/v1/team", `{"email":"amy@example.org"}`, 422, "body.name"},
		{"unknown role", "commander", "/api/v1/team", `{"name":"Amy","email":"amy@example.org","roles":["juggler"]}`, 422, "body.roles"},
		{"expires before issue", "commander", "/api/v1/team/certificates",
			`{"member_id":1,"course_id":1,"issued_at":"2026-01-02T00:00:00Z","expires_at":"2026-01-01T00:00:00Z"}`, 422, "body.expires_at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", c.path, c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}

	amy := apptest.Decode[team.Member](t, s.Call("commander", "POST", "/api/v1/team",
		`{"name":"Amy Wong","email":"amy@example.org","phone":"+852 9123 4567","roles":["spokesperson"],"languages":["yue","en"]}`, http.StatusCreated))
	if amy.Kind != "outside" || amy.Phone != "+85291234567" {
		t.Fatalf("created %+v", amy)
	}
	ben := apptest.Decode[team.Member](t, s.Call("admin", "POST", "/api/v1/team", `{"name":"Ben Lee","email":"ben@example.org","roles":["spokesperson"]}`, http.StatusCreated))
	shown := apptest.Decode[team.Member](t, s.Call("editor", "GET", fmt.Sprintf("/api/v1/team/%d", amy.ID), "", http.StatusOK))
	if shown.Email == amy.Email || strings.Contains(shown.Phone, "9123") || shown.Name != "Amy Wong" {
		t.Fatalf("an editor sees %q %q", shown.Email, shown.Phone)
	}

	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	shift := func(member int64, from, to time.Time) string {
		return fmt.Sprintf(`{"role":"spokesperson","member_id":%d,"starts_at":%q,"ends_at":%q}`, member, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	s.Call("commander", "POST", "/api/v1/team/rota", shift(amy.ID, start, start.Add(8*time.Hour)), http.StatusCreated)
	res := s.Do("commander", "POST", "/api/v1/team/rota", shift(amy.ID, start.Add(7*time.Hour), start.Add(9*time.Hour)))
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.starts_at") {
		t.Errorf("an overlap, not named: %s", res.Body)
	}
	s.Call("commander", "POST", "/api/v1/team/rota", shift(ben.ID, start.Add(8*time.Hour), start.Add(16*time.Hour)), http.StatusCreated)

	duty := apptest.Decode[struct{ Items []team.Duty }](t, s.Call("observer", "GET", "/api/v1/team/on-duty?role=spokesperson", "", http.StatusOK))
	if len(duty.Items) != 1 || duty.Items[0].Member == nil || duty.Items[0].Member.ID != amy.ID || duty.Items[0].Next == nil || duty.Items[0].Next.MemberID != ben.ID {
		t.Fatalf("on duty %+v", duty.Items)
	}
	s.Call("commander", "DELETE", fmt.Sprintf("/api/v1/team/%d", amy.ID), "", http.StatusNoContent)
	gone := apptest.Decode[team.Member](t, s.Call("admin", "GET", fmt.Sprintf("/api/v1/team/%d", amy.ID), "", http.StatusOK))
	if !gone.Anonymised || gone.Name != "" || gone.Email != "" {
		t.Fatalf("deleted %+v", gone)
	}
}
