package team_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/team"
)

// TestTeamPages adds members through the form (refusing a bad e-mail
// beside the field), puts one on duty, refuses an overlapping shift,
// shows who is on duty on the team page, the dashboard and the crisis
// room, masks an outside member's phone from an editor, and exports and
// imports the team.
func TestTeamPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	cmd := e.SignIn(w.Commander)
	ed := e.SignIn(w.Editor)

	res := cmd.PostForm("/desk/team/members/new", url.Values{"kind": {"outside"}, "name": {"Amy Wong"}, "email": {"amy at example"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `id="member-email-error"`) || !strings.Contains(res.Body, "error-summary") {
		t.Fatalf("no error beside the e-mail field: %s", res.Body)
	}
	res = cmd.PostForm("/desk/team/members/new", url.Values{"kind": {"outside"}, "name": {"Amy Wong"}, "email": {"amy@example.org"},
		"phone": {"+852 9123 4567"}, "roles": {"spokesperson"}, "languages": {"yue, en"}, "skills": {"Sign language"}, "active": {"1"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	var amyID int64
	if _, err := fmt.Sscanf(res.Location(), "/desk/team/members/%d", &amyID); err != nil {
		t.Fatalf("redirected to %q", res.Location())
	}

	now := time.Now().UTC()
	shift := url.Values{"role": {"spokesperson"}, "member_id": {fmt.Sprint(amyID)},
		"starts_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "ends_at": {now.Add(5 * time.Hour).Format("2006-01-02T15:04")}}
	apptest.WantStatus(t, cmd.PostForm("/desk/team/rota", shift), http.StatusSeeOther)
	shift.Set("role", "hotline")
	res = cmd.PostForm("/desk/team/rota", shift)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `id="shift-starts-error"`) {
		t.Fatalf("the overlap is not named beside the start: %s", res.Body)
	}

	for _, p := range []string{"/desk/team", "/desk", fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)} {
		res := ed.Get(p)
		apptest.WantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, `<span class="duty-member">Amy Wong</span>`) {
			t.Errorf("%s does not show Amy on duty", p)
		}
	}
	if res := ed.Get("/desk/team"); strings.Contains(res.Body, "91234567") || strings.Contains(res.Body, "amy@example.org") {
		t.Error("an editor sees an outside member's contact details")
	}
	if res := cmd.Get("/desk/team"); !strings.Contains(res.Body, "85291234567") {
		t.Error("a commander does not see them")
	}
	apptest.WantStatus(t, ed.Get("/desk/team/export.csv"), http.StatusForbidden)

	csv := cmd.Get("/desk/team/export.csv")
	apptest.WantStatus(t, csv, http.StatusOK)
	if !strings.HasPrefix(csv.Body, "\ufeff") || !strings.Contains(csv.Body, "'+85291234567") {
		t.Fatalf("CSV export %q", csv.Body)
	}
	x := cmd.Get("/desk/team/export.xlsx")
	rows, err := xlsx.Read(bytes.NewReader([]byte(x.Body)))
	if err != nil || len(rows) != 2 || rows[1][4] != "Amy Wong" {
		t.Fatalf("XLSX export %v %v", rows, err)
	}
	// Import: Amy changes (matched by e-mail), Ben is added.
	body := strings.Replace(csv.Body, "Sign language", `"Sign language; Cantonese"`, 1) +
		",outside,,,Ben Lee,Radio,ben@example.org,,en,,hotline,true\r\n"
	res = cmd.Upload("/desk/team/import", "file", "team.csv", []byte(body), nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if res := cmd.Get("/desk/team"); !strings.Contains(res.Body, "Ben Lee") || !strings.Contains(res.Body, "Cantonese") {
		t.Fatalf("import not applied: %s", res.Body)
	}
	bad := strings.Replace(body, "ben@example.org", "ben at example", 1)
	res = cmd.Upload("/desk/team/import", "file", "team.csv", []byte(bad), nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "rows[1].email") {
		t.Fatalf("the bad row is not named: %s", res.Body)
	}

	ics := ed.Get(fmt.Sprintf("/desk/team/members/%d/rota.ics", amyID))
	if ics.Status != http.StatusOK || !strings.Contains(ics.Body, "BEGIN:VEVENT") || !strings.Contains(ics.Body, "Amy Wong") {
		t.Fatalf("member calendar %d %s", ics.Status, ics.Body)
	}
	// A calendar app reads the editor's own shifts through their secret
	// calendar link, without signing in; a guessed link learns nothing.
	ctx := t.Context()
	me, err := e.Store.Team().AddMember(ctx, apptest.As(w.Commander), team.Input{UserID: w.Editor.ID, Active: true})
	if err == nil {
		_, err = e.Store.Team().AddShift(ctx, apptest.As(w.Commander), team.Shift{RoleKey: team.Hotline, MemberID: me.ID, StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(30 * time.Hour)})
	}
	secret, err2 := e.Store.Accounts().NewCalendarLink(ctx, apptest.As(w.Editor))
	if err != nil || err2 != nil {
		t.Fatal(err, err2)
	}
	anon := e.Browser()
	if feed := anon.Get("/desk/feeds/rota/" + secret); feed.Status != http.StatusOK || !strings.Contains(feed.Body, "Hotline") {
		t.Fatalf("linked rota %d %s", feed.Status, feed.Body)
	}
	apptest.WantStatus(t, anon.Get("/desk/feeds/rota/cdcal_guess"), http.StatusNotFound)
	for _, p := range []string{"/desk/team/rota", "/desk/team/roles", "/desk/team/training", "/desk/team/library", "/desk/team/rota.xlsx", "/desk/team/training.csv"} {
		apptest.WantStatus(t, ed.Get(p), http.StatusOK)
	}
	apptest.WantStatus(t, cmd.Get("/desk/team/recruitment"), http.StatusOK)

	// The spokesperson role requires a course Amy has not taken: the rota
	// warns beside her shift.
	res = cmd.PostForm("/desk/team/training/courses", url.Values{"title": {"Media training"}, "valid_months": {"24"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = cmd.PostForm("/desk/team/roles/1", url.Values{"requires": {"1"}, "version": {"1"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if rota := ed.Get("/desk/team/rota"); !strings.Contains(rota.Body, "Lacks a valid certificate: Media training") {
		t.Errorf("the rota does not warn: %s", rota.Body)
	}
	res = cmd.PostForm("/desk/team/training/certificates", url.Values{"member_id": {fmt.Sprint(amyID)}, "course_id": {"1"},
		"issued_at": {"2026-03-02"}, "expires_at": {"2026-03-01"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `id="cert-expires-error"`) {
		t.Errorf("a certificate expiring before issue, not named: %s", res.Body)
	}
	issued := time.Now().UTC().AddDate(0, -1, 0)
	res = cmd.PostForm("/desk/team/training/certificates", url.Values{"member_id": {fmt.Sprint(amyID)}, "course_id": {"1"},
		"issued_at": {issued.Format("2006-01-02")}, "expires_at": {issued.AddDate(2, 0, 0).Format("2006-01-02")}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if tp := ed.Get("/desk/team/training"); !strings.Contains(tp.Body, `class="deadline-name">Renew the certificate`) {
		t.Errorf("no renewal clock on the training page: %s", tp.Body)
	}
	if rota := ed.Get("/desk/team/rota"); strings.Contains(rota.Body, "Lacks a valid certificate") {
		t.Error("the rota still warns once Amy holds the certificate")
	}

	// The library: an editor shares a file, then a new version of it;
	// both stay downloadable.
	res = ed.Upload("/desk/team/library", "file", "handbook.txt", []byte("first"), url.Values{"title": {"Spokesperson handbook"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	lib := ed.Get("/desk/team/library")
	var mid int64
	if _, err := fmt.Sscanf(lib.Body[strings.Index(lib.Body, `id="material-`)+len(`id="material-`):], "%d", &mid); err != nil {
		t.Fatalf("no material listed: %v", err)
	}
	res = ed.Upload("/desk/team/library", "file", "handbook-2.txt", []byte("second"), url.Values{"title": {"Spokesperson handbook"}, "material_id": {fmt.Sprint(mid)}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	for n, want := range []string{"first", "second"} {
		if got := ed.Get(fmt.Sprintf("/desk/team/library/%d/v/%d", mid, n+1)); got.Status != http.StatusOK || got.Body != want {
			t.Errorf("version %d: %d %q", n+1, got.Status, got.Body)
		}
	}
	res = ed.Upload("/desk/team/library", "file", "x.txt", []byte("x"), url.Values{"title": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
}
