package drills_test

import (
	"bytes"
	"crisisdesk/internal/pdf/pdftest"
	"crisisdesk/internal/session"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/drill"
)

// drillForm is a valid new-drill form for w's plan, in the office's zone
// (UTC in tests).
func drillForm(e *apptest.Env, w apptest.World) url.Values {
	d := e.DrillDetails(w)
	return url.Values{"title": {d.Title}, "plan_id": {fmt.Sprint(w.Plan.ID)}, "kind": {"functional"}, "level": {"III"},
		"objectives[0].text": {"First public notice on time"}, "objectives[0].clocks": {"first_notice"},
		"objectives[0].steps": {w.Plan.Body.Steps[0].Key},
		"scenario":            {"Signal 8 at dawn"}, "starts_at": {d.StartsAt.Format("2006-01-02T15:04")},
		"ends_at": {d.EndsAt.Format("2006-01-02T15:04")}, "venue": {"Operations room"}, "equipment": {"Radios\nSandbags"},
		"users": {fmt.Sprint(w.Editor.ID)}, "outsiders[0].name": {"Press officer"}, "outsiders[0].organisation": {"Radio"},
		"controller_id": {fmt.Sprint(w.Commander.ID)}, "observers": {fmt.Sprint(w.Reviewer.ID)}, "evaluators": {fmt.Sprint(w.Reviewer.ID)}}
}

func TestDrillFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	cases := []struct {
		name   string
		change map[string]string
		field  string // the id the summary links to
		want   string // the message beside the field
	}{
		{"no title", map[string]string{"title": ""}, "drill-title", "Give the drill a title"},
		{"end before start", map[string]string{"ends_at": "2020-01-01T00:00"}, "drill-ends-at", "Give an end after the start"},
		{"unparsable start", map[string]string{"starts_at": "tomorrow"}, "drill-starts-at", "Give the start as a date and time"},
		{"unknown step", map[string]string{"objectives[0].steps": "zz9"}, "objectives[0].text", "at least one plan step (of this plan)"},
		{"no observers", map[string]string{"observers": "", "evaluators": ""}, "observers-1", "Observers: Name at least one observer"},
		{"no plan", map[string]string{"plan_id": ""}, "drill-plan-id", "Choose the plan version under test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := drillForm(e, w)
			for k, v := range c.change {
				if v == "" {
					f.Del(k)
				} else {
					f.Set(k, v)
				}
			}
			res := b.PostForm("/desk/drills/new", f)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, `id="error-summary"`, `href="#`+c.field+`"`, c.want, `class="field-error"`)
		})
	}
	if list, total, err := e.Store.Drills().List(t.Context(), drill.Filter{}); err != nil || total != 0 {
		t.Fatalf("a refused form saved %v %v", list, err)
	}
}

func TestDrillFromPlanToSafetyStop(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	editor, approver, commander := e.SignIn(w.Editor), e.SignIn(w.Approver), e.SignIn(w.Commander)
	reviewer := e.SignIn(w.Reviewer)

	res := editor.PostForm("/desk/drills/new", drillForm(e, w))
	m := regexp.MustCompile(`^/desk/drills/(\d+)\?done=drill_created$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page := "/desk/drills/" + m[1]
	res = editor.Get(page + "?done=drill_created")
	apptest.WantBody(t, res, "Typhoon functional drill", "EXERCISE", "Planned", "Press officer", "Sandbags",
		`id="safety-form"`, "Not signed yet")
	apptest.WantBody(t, editor.Get("/desk/drills"), "Typhoon functional drill", `id="drill-row-`+m[1]+`"`)
	apptest.WantBody(t, editor.Get(page+"/edit"), `value="Operations room"`, `value="first_notice"`)

	// The form keeps the lock: a second save on the old one is refused.
	lockRe := regexp.MustCompile(`name="lock" value="(\d+)"`)
	lock := lockRe.FindStringSubmatch(res.Body)[1]
	// An incomplete assessment saves, but is not signed.
	gate := url.Values{"lock": {lock}, "hazards": {"Slippery floor"}, "measures": {""}, "officer_id": {fmt.Sprint(w.Reviewer.ID)}, "stop_word": {"REDLINE"}}
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusSeeOther)
	res = approver.PostForm(page+"/sign", nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="safety-errors"`, "List the protective measures")
	gate.Set("lock", lockRe.FindStringSubmatch(editor.Get(page).Body)[1])
	gate.Set("measures", "Mats\nFirst-aid kit")
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusSeeOther)
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusConflict) // the old lock

	// The author does not sign; the start waits for the signature.
	apptest.WantStatus(t, editor.PostForm(page+"/sign", nil), http.StatusForbidden)
	res = commander.PostForm(page+"/start", nil)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "the drill is Planned")
	apptest.WantStatus(t, approver.PostForm(page+"/sign", nil), http.StatusSeeOther)
	apptest.WantBody(t, approver.Get(page+"?done=drill_signed"), "The safety gate is signed", "Signed by fx-approver")

	res = commander.PostForm(page+"/start", nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = commander.Get(page + "?done=drill_started")
	apptest.WantBody(t, res, "Running", `id="drill-crisis"`, `id="stop-form"`, `id="end-form"`)
	crisisPath := regexp.MustCompile(`href="(/desk/crises/\d+)"`).FindStringSubmatch(res.Body)[1]
	apptest.WantBody(t, commander.Get(crisisPath), "EXERCISE", "Open the operations room", "Drill")

	// The safety officer (the reviewer) stops it; everyone on it is told.
	res = reviewer.PostForm(page+"/stop", url.Values{"reason": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Say why the drill stops")
	apptest.WantStatus(t, reviewer.PostForm(page+"/stop", url.Values{"reason": {"Smoke in the stairwell"}}), http.StatusSeeOther)
	res = editor.Get(page)
	apptest.WantBody(t, res, "Stopped for safety", "SAFETY STOP", "Smoke in the stairwell", `id="drill-report-due"`)
	if strings.Contains(res.Body, `id="stop-form"`) {
		t.Error("an ended drill still offers the stop")
	}
}

func TestChecklistPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	editor, approver := e.SignIn(w.Editor), e.SignIn(w.Approver)
	res := editor.Get("/desk/drills/checklist")
	apptest.WantBody(t, res, "Default safety checklist", "disabled")
	apptest.WantStatus(t, editor.PostForm("/desk/drills/checklist", url.Values{"hazards": {"x"}, "measures": {"y"}}), http.StatusForbidden)
	res = approver.PostForm("/desk/drills/checklist", url.Values{"hazards": {""}, "measures": {"y"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "List the hazards")
	apptest.WantStatus(t, approver.PostForm("/desk/drills/checklist", url.Values{"hazards": {"Live cables"}, "measures": {"Cover them"}}), http.StatusSeeOther)
	apptest.WantBody(t, editor.Get("/desk/drills/checklist"), "Live cables")
}

func TestInjectsOnThePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w)
	editor, commander := e.SignIn(w.Editor), e.SignIn(w.Commander)
	page := fmt.Sprintf("/desk/drills/%d", d.ID)

	add := url.Values{"offset": {"9h"}, "from": {"Caller"}, "to": {"editor"}, "channel": {"app"}, "message": {"Water over the quay"}}
	res := editor.PostForm(page+"/injects", add)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "inside the drill&#39;s window", `aria-invalid="true"`)
	add.Set("offset", "00:10")
	apptest.WantStatus(t, editor.PostForm(page+"/injects", add), http.StatusSeeOther)
	res = editor.Get(page)
	apptest.WantBody(t, res, `id="inject-1"`, "T+10m", "Water over the quay", "Waiting")

	// The list exports and imports back, into another drill, whole.
	csv := editor.Get(page + "/injects.csv")
	apptest.WantStatus(t, csv, http.StatusOK)
	apptest.WantBody(t, csv, "seq,offset,time,from,to,channel,message,expected,state", "10m,,Caller,editor,app,Water over the quay")
	book := editor.Get(page + "/injects.xlsx")
	if rows := apptest.XLSXRows(t, []byte(book.Body), "MSEL"); len(rows) != 2 || rows[1][6] != "Water over the quay" {
		t.Fatalf("workbook rows %v", rows)
	}
	other := e.ReadyDrill(w)
	otherPage := fmt.Sprintf("/desk/drills/%d", other.ID)
	res = editor.Upload(otherPage+"/injects/import", "file", "msel.csv", []byte(csv.Body+",20m,,TV,commander,app,Crew at the gate,,\n,,,,,,,,\n,5d,,X,editor,app,Too late,,\n"), nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="import-error"`, "injects[2].offset")
	res = editor.Upload(otherPage+"/injects/import", "file", "msel.xlsx", []byte(book.Body), nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, editor.Get(otherPage), `id="inject-1"`, "Water over the quay")

	// Live: the controller pauses, resumes, adds, fires early and skips.
	apptest.WantStatus(t, commander.PostForm(page+"/start", nil), http.StatusSeeOther)
	apptest.WantStatus(t, commander.PostForm(page+"/pause", nil), http.StatusSeeOther)
	apptest.WantBody(t, commander.Get(page), `id="drill-paused"`, `id="drill-resume"`)
	apptest.WantStatus(t, commander.PostForm(page+"/resume", nil), http.StatusSeeOther)
	live := url.Values{"offset": {"1h"}, "from": {"Media"}, "to": {"commander"}, "channel": {"app"}, "message": {"TV crew at the gate"}}
	res = commander.PostForm(page+"/injects", live)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("live add: %d %s", res.Status, apptest.Snippet(res.Body))
	}
	injects, err := e.Store.Drills().Injects(t.Context(), d.ID)
	if err != nil || len(injects) != 2 {
		t.Fatalf("injects %v %v", injects, err)
	}
	apptest.WantStatus(t, editor.PostForm(page+"/inject-fire", url.Values{"inject_id": {fmt.Sprint(injects[0].ID)}}), http.StatusForbidden)
	apptest.WantStatus(t, commander.PostForm(page+"/inject-fire", url.Values{"inject_id": {fmt.Sprint(injects[0].ID)}}), http.StatusSeeOther)
	apptest.WantStatus(t, commander.PostForm(page+"/inject-skip", url.Values{"inject_id": {fmt.Sprint(injects[1].ID)}}), http.StatusSeeOther)
	res = commander.PostForm(page+"/inject-skip", url.Values{"inject_id": {fmt.Sprint(injects[1].ID)}})
	apptest.WantStatus(t, res, http.StatusConflict)
	res = editor.Get(page)
	apptest.WantBody(t, res, "Delivered", "Skipped", "Water over the quay")
	crisis, err := e.Store.Drills().Get(t.Context(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	apptest.WantBody(t, editor.Get(fmt.Sprintf("/desk/crises/%d", crisis.CrisisID)), "INJECT #1 (EXERCISE)")
}

func TestConsoleAndReport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w) // the reviewer observes and evaluates
	commander, reviewer, approver, editor := e.SignIn(w.Commander), e.SignIn(w.Reviewer), e.SignIn(w.Approver), e.SignIn(w.Editor)
	page := fmt.Sprintf("/desk/drills/%d", d.ID)
	apptest.WantStatus(t, commander.PostForm(page+"/start", nil), http.StatusSeeOther)

	res := reviewer.Get(page + "/observe")
	apptest.WantBody(t, res, `id="observe-form"`, "Performed with major challenges", "First public notice on time")
	res = reviewer.PostForm(page+"/observe", url.Values{"objective": {"0"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Choose a rating.")
	res = editor.PostForm(page+"/observe", url.Values{"objective": {"0"}, "rating": {"performed"}})
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, "not an observer or evaluator")
	apptest.WantStatus(t, reviewer.PostForm(page+"/observe", url.Values{"objective": {"0"}, "rating": {"some_challenges"},
		"notes": {"The approver was hard to reach"}}), http.StatusSeeOther)
	apptest.WantBody(t, reviewer.Get(page+"/observe?done=drill_observed"), "The observation is recorded", "The approver was hard to reach")

	apptest.WantStatus(t, editor.Get(page+"/report"), http.StatusNotFound)
	apptest.WantStatus(t, commander.PostForm(page+"/end", nil), http.StatusSeeOther)
	res = reviewer.Get(page + "/report")
	apptest.WantBody(t, res, "Performed with some challenges", "The approver was hard to reach", `id="report-form"`, `id="report-due"`)
	lock := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(res.Body)[1]
	apptest.WantStatus(t, reviewer.PostForm(page+"/report", url.Values{"lock": {lock}, "summary": {"Approvals were slow"},
		"improvements": {"Train a second approver"}}), http.StatusSeeOther)
	res = approver.Get(page + "/report")
	apptest.WantBody(t, res, "Approvals were slow", "Train a second approver", `id="approve-form"`)
	print := editor.Get(page + "/report/print")
	apptest.WantBody(t, print, "Approvals were slow", "EXERCISE")
	book := editor.Get(page + "/report.xlsx")
	if rows := apptest.XLSXRows(t, []byte(book.Body), "AAR"); len(rows) < 3 || rows[1][2] != "Performed with some challenges" {
		t.Fatalf("report workbook %v", rows)
	}
	apptest.WantStatus(t, approver.PostForm(page+"/report/approve", nil), http.StatusSeeOther)
	apptest.WantBody(t, editor.Get(page+"/report"), `id="report-approved"`, "Approved by fx-approver")
	// The PDF holds the report as text, Chinese included.
	doc := editor.Get(page + "/report.pdf")
	apptest.WantStatus(t, doc, http.StatusOK)
	if ct := doc.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("report PDF served as %q", ct)
	}
	text := pdftest.Text(t, []byte(doc.Body))
	for _, want := range []string{"After-action report", "Approvals were slow", "Train a second approver", "Ratings per objective",
		"Observations", "fx-reviewer", "Approved by fx-approver", "EXERCISE"} {
		if !strings.Contains(text, want) {
			t.Errorf("report PDF lacks %q:\n%s", want, text)
		}
	}
	apptest.WantBody(t, editor.Get(page), "Evaluated")
	apptest.WantStatus(t, editor.PostForm("/desk/account/language", url.Values{"language": {"zh-Hant"}, "next": {"/desk"}}), http.StatusSeeOther)
	if text := pdftest.Text(t, []byte(editor.Get(page+"/report.pdf").Body)); !strings.Contains(text, "演練評估報告") || !strings.Contains(text, "改善") {
		t.Errorf("the zh-Hant report PDF lacks its Chinese text:\n%s", text)
	}
}

func TestActionsOnTheReport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w)
	ctx := t.Context()
	ds := e.Store.Drills()
	if _, err := ds.Start(ctx, apptest.As(w.Commander), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.End(ctx, apptest.As(w.Commander), d.ID, ""); err != nil {
		t.Fatal(err)
	}
	reviewer, editor, approver := e.SignIn(w.Reviewer), e.SignIn(w.Editor), e.SignIn(w.Approver)
	page := fmt.Sprintf("/desk/drills/%d", d.ID)
	form := url.Values{"text": {"Train a second approver"}, "owner_id": {fmt.Sprint(w.Editor.ID)}, "due": {"2001-01-01"},
		"link_kind": {"training"}, "link_ref": {"Approver course"}}
	res := reviewer.PostForm(page+"/actions", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Give a due date in the future")
	form = url.Values{"text": {"Train a second approver"}, "owner_id": {fmt.Sprint(w.Editor.ID)},
		"due": {e.Clock.Now().Add(14 * 24 * time.Hour).Format("2006-01-02")}, "link_kind": {"training"}, "link_ref": {"Approver course"}}
	apptest.WantStatus(t, reviewer.PostForm(page+"/actions", form), http.StatusSeeOther)
	actions, err := ds.Actions(ctx, d.ID)
	if err != nil || len(actions) != 1 {
		t.Fatalf("actions %v %v", actions, err)
	}
	id := fmt.Sprint(actions[0].ID)
	apptest.WantBody(t, editor.Get(page+"/report"), "Train a second approver", `id="action-done-`+id+`"`)
	apptest.WantStatus(t, editor.PostForm(page+"/action-done", url.Values{"action_id": {id}}), http.StatusSeeOther)
	apptest.WantStatus(t, approver.PostForm(page+"/action-verify", url.Values{"action_id": {id}}), http.StatusSeeOther)
	apptest.WantBody(t, editor.Get(page+"/report"), "Closed", `id="report-figures"`, "1 of 1 (100 %)")
}

func TestCalendars(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w) // the editor takes part; the approver does not
	if _, err := e.Store.Drills().Start(t.Context(), apptest.As(w.Commander), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Drills().End(t.Context(), apptest.As(w.Commander), d.ID, ""); err != nil {
		t.Fatal(err)
	}
	read := func(b *apptest.Browser, path string) []*goical.Event {
		t.Helper()
		res := b.Get(path)
		apptest.WantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Fatalf("%s: Content-Type %q", path, ct)
		}
		cal, err := goical.NewDecoder(strings.NewReader(res.Body)).Decode()
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, res.Body)
		}
		var out []*goical.Event
		for _, ev := range cal.Events() {
			out = append(out, &ev)
		}
		return out
	}
	editor, approver := e.SignIn(w.Editor), e.SignIn(w.Approver)
	mine := read(editor, "/desk/drills/my-calendar.ics")
	if len(mine) != 2 {
		t.Fatalf("the editor's calendar has %d events, want the drill and its report", len(mine))
	}
	sum, _ := mine[0].Props.Text(goical.PropSummary)
	start, err := mine[0].DateTimeStart(time.UTC)
	if !strings.Contains(sum, "Typhoon functional drill") || err != nil || !start.Equal(d.StartsAt) {
		t.Fatalf("event %q at %v (%v), want the drill at %v", sum, start, err, d.StartsAt)
	}
	if got := read(approver, "/desk/drills/my-calendar.ics"); len(got) != 0 {
		t.Fatalf("the approver, not on the drill, has %d events", len(got))
	}
	if got := read(approver, "/desk/drills/calendar.ics"); len(got) != 2 {
		t.Fatalf("the office calendar has %d events", len(got))
	}

	// A calendar app reads the editor's calendar through a secret link,
	// without a session, in the editor's language; a new link stops the
	// old one.
	link := func() string {
		t.Helper()
		res := editor.PostForm("/desk/drills/calendar-link", nil)
		apptest.WantStatus(t, res, http.StatusOK)
		m := regexp.MustCompile(`id="calendar-link" class="wide" type="text" readonly value="([^"]+)"`).FindStringSubmatch(res.Body)
		if m == nil || !strings.HasPrefix(m[1], "http://") {
			t.Fatalf("no link on the page:\n%s", res.Body)
		}
		u, err := url.Parse(m[1])
		if err != nil || !strings.HasPrefix(u.Path, "/desk/feeds/drills/cdcal_") {
			t.Fatalf("link %q: %v", m[1], err)
		}
		return u.Path
	}
	first := link()
	app := e.Browser()
	if got := read(app, first); len(got) != 2 {
		t.Fatalf("through the link: %d events", len(got))
	}
	apptest.WantStatus(t, editor.PostForm("/desk/account/language", url.Values{"language": {"zh-Hant"}, "next": {"/desk"}}), http.StatusSeeOther)
	second := link()
	got := read(app, second)
	if sum, _ := got[0].Props.Text(goical.PropSummary); len(got) != 2 || !strings.HasPrefix(sum, "演練：") {
		t.Errorf("in the editor's language: %d events, %q", len(got), sum)
	}
	for _, stale := range []string{first, "/desk/feeds/drills/cdcal_guessed", "/desk/feeds/drills/cdt_x"} {
		if res := app.Get(stale); res.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", stale, res.Status)
		}
	}
}

// A running drill's exercise crisis, its injects and its stop never reach
// the public site, the real feeds or the public notices API.
func TestExerciseStaysOffThePublicSurfaces(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w)
	ds := e.Store.Drills()
	ctx := t.Context()
	if _, err := ds.AddInject(ctx, apptest.As(w.Editor), d.ID, drill.Inject{Relative: true, Offset: 0, From: "Caller",
		To: "editor", Message: "Secret exercise inject"}); err != nil {
		t.Fatal(err)
	}
	d, err := ds.Start(ctx, apptest.As(w.Commander), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	injects, _ := ds.Injects(ctx, d.ID)
	if _, err := ds.FireInject(ctx, apptest.As(w.Commander), injects[0].ID); err != nil {
		t.Fatal(err)
	}
	anon := e.Browser()
	for _, p := range []string{"/", "/feed.atom", "/cap.atom", "/api/v1/public/notices", fmt.Sprintf("/crises/%d", d.CrisisID)} {
		res := anon.Get(p)
		for _, secret := range []string{d.Title, "Secret exercise inject", "Signal 8 at dawn"} {
			if strings.Contains(res.Body, secret) {
				t.Errorf("%s (%d) shows %q", p, res.Status, secret)
			}
		}
	}
}

// An observer adds a photo from the phone's camera; it is stored with the
// observation, served sandboxed to those who see the observation, and a
// file that is not an image is refused beside the field with the other
// answers kept.
func TestObservationPhoto(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	d := e.ReadyDrill(w) // the reviewer observes and evaluates
	commander, reviewer, editor := e.SignIn(w.Commander), e.SignIn(w.Reviewer), e.SignIn(w.Editor)
	page := fmt.Sprintf("/desk/drills/%d", d.ID)
	apptest.WantStatus(t, commander.PostForm(page+"/start", nil), http.StatusSeeOther)

	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	post := func(name string, data []byte) apptest.Response {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField(session.CSRFField, reviewer.CSRF())
		_ = mw.WriteField("objective", "0")
		_ = mw.WriteField("rating", "major_challenges")
		_ = mw.WriteField("notes", "Sandbags blocked the fire exit")
		fw, _ := mw.CreateFormFile("photo", name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		return reviewer.Post(page+"/observe", mw.FormDataContentType(), &body)
	}
	res := post("exit.txt", []byte("not a picture"))
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Choose a JPEG, PNG, GIF or WebP image", "Sandbags blocked the fire exit", `id="rating-major_challenges" name="rating" type="radio" value="major_challenges" checked`)

	apptest.WantStatus(t, post("exit.png", png), http.StatusSeeOther)
	res = reviewer.Get(page + "/observe")
	m := regexp.MustCompile(`href="(` + page + `/observations/\d+/photo)"`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no photo link:\n%s", apptest.Snippet(res.Body))
	}
	photo := reviewer.Get(m[1])
	apptest.WantStatus(t, photo, http.StatusOK)
	if photo.Body != string(png) || photo.Header.Get("Content-Type") != "image/png" ||
		!strings.Contains(photo.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("photo served as %v, %d bytes", photo.Header, len(photo.Body))
	}
	// Private to the evaluators while the drill runs; everyone's after.
	apptest.WantStatus(t, editor.Get(m[1]), http.StatusNotFound)
	apptest.WantStatus(t, commander.PostForm(page+"/end", nil), http.StatusSeeOther)
	apptest.WantStatus(t, editor.Get(m[1]), http.StatusOK)
	apptest.WantBody(t, editor.Get(page+"/report"), `id="report-observations"`, "Sandbags blocked the fire exit", m[1])
}
