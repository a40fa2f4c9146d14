package media_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/press"
	"crisisdesk/internal/sheet"
)

// TestJournalistFormRefusesBadInput sends the journalist form with bad
// contacts: each comes back with the field named, and nothing is saved.
func TestJournalistFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	good := url.Values{"name": {"Wong Mei"}, "outlet": {"Harbour Daily"}, "language": {"zh-Hant"}, "email": {"mei@harbour.example"},
		"channels": {"email"}, "consent": {"1"}, "active": {"1"}}
	for _, c := range []struct {
		name, field, value, href string
	}{
		{"bad e-mail", "email", "mei at harbour", `href="#journalist-email"`},
		{"bad phone", "phone", "12345", `href="#journalist-phone"`},
		{"no outlet", "outlet", "", `href="#journalist-outlet"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			f.Set(c.field, c.value)
			res := b.PostForm("/desk/media/journalists/new", f)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, `id="error-summary"`, c.href, `class="field-error"`)
		})
	}
	if js, _ := e.Store.Press().Journalists(t.Context()); len(js) != 0 {
		t.Fatalf("refused forms saved %+v", js)
	}
	res := b.PostForm("/desk/media/journalists/new", good)
	if !regexp.MustCompile(`^/desk/media/journalists/\d+\?done=media_journalist_created$`).MatchString(res.Location()) {
		t.Fatalf("create: %d %q", res.Status, res.Location())
	}
	// An observer sees the directory with the address masked.
	obs := e.SignIn(e.User("watcher", "observer"))
	page := obs.Get("/desk/media")
	apptest.WantBody(t, page, "Wong Mei", "m•••@harbour.example")
	if strings.Contains(page.Body, "mei@harbour.example") {
		t.Error("an observer sees the journalist's address")
	}
}

// TestInquiryLogAndExport logs an inquiry through the form, refuses a
// reply-by before it came in, answers it, and exports the log.
func TestInquiryLogAndExport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	now := e.Clock.Now().UTC()
	form := url.Values{"crisis_id": {fmt.Sprint(w.Crisis.ID)}, "asker": {"=HYPERLINK(1)"}, "outlet": {"Radio"}, "channel": {"phone"},
		"question": {"Are schools closed?"}, "received_at": {now.Format("2006-01-02T15:04")},
		"owner_id": {fmt.Sprint(w.Editor.ID)}, "reply_by": {now.Add(-time.Hour).Format("2006-01-02T15:04")}}
	res := b.PostForm("/desk/media/inquiries/new", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, `href="#inquiry-reply-by"`)
	form.Set("reply_by", now.Add(time.Hour).Format("2006-01-02T15:04"))
	res = b.PostForm("/desk/media/inquiries/new", form)
	m := regexp.MustCompile(`^/desk/media/inquiries/(\d+)\?done=media_inquiry_logged$`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("log: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page := b.Get("/desk/media/inquiries/" + m[1])
	apptest.WantBody(t, page, `id="answer-form"`, "MQ-0001", `class="deadline`)
	res = b.PostForm("/desk/media/inquiries/"+m[1]+"/answer", url.Values{"reply": {"Yes, on Thursday."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", res.Status, apptest.Snippet(res.Body))
	}
	qs, _, _ := e.Store.Press().Inquiries(t.Context(), press.InquiryFilter{})
	if len(qs) != 1 || !qs[0].Answered() {
		t.Fatalf("inquiries %+v", qs)
	}
	csv := b.Get("/desk/media/inquiries.csv")
	apptest.WantStatus(t, csv, http.StatusOK)
	rows, err := sheet.ReadCSV(strings.NewReader(csv.Body))
	if err != nil || !strings.HasPrefix(csv.Body, "\xef\xbb\xbfref,") || len(rows) != 2 || rows[1][0] != "MQ-0001" ||
		rows[1][2] != "=HYPERLINK(1)" || !strings.Contains(csv.Body, "'=HYPERLINK(1)") || rows[1][11] != "Yes, on Thursday." {
		t.Fatalf("export %v %v\n%s", rows, err, csv.Body)
	}
	if xl := b.Get("/desk/media/inquiries.xlsx"); xl.Status != http.StatusOK || !strings.HasPrefix(xl.Body, "PK") {
		t.Fatalf("XLSX export %d", xl.Status)
	}
}

// TestPressConference schedules a press conference through the form
// (an end before the start is refused) and reads its invitation back as
// iCalendar.
func TestPressConference(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	j, err := e.Store.Press().AddJournalist(t.Context(), apptest.As(w.Editor), press.Journalist{Name: "Wong Mei", Outlet: "Harbour Daily",
		Language: "zh-Hant", Email: "mei@harbour.example", Channels: []string{"email"}, Consent: true, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	b := e.SignIn(w.Editor)
	start := e.Clock.Now().UTC().Add(3 * time.Hour).Truncate(time.Hour)
	form := url.Values{"title": {"Typhoon briefing"}, "venue": {"Press room, 2/F"}, "crisis_id": {fmt.Sprint(w.Crisis.ID)},
		"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(-time.Hour).Format("2006-01-02T15:04")},
		"speakers": {"Director Chan (spokesperson)\nDr Lee"}, "invited": {fmt.Sprint(j.ID)}}
	res := b.PostForm("/desk/media/conferences", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, `href="#conference-ends"`)
	form.Set("ends_at", start.Add(time.Hour).Format("2006-01-02T15:04"))
	if res = b.PostForm("/desk/media/conferences", form); res.Status != http.StatusSeeOther {
		t.Fatalf("schedule: %d\n%s", res.Status, apptest.Snippet(res.Body))
	}
	cs, err := e.Store.Press().Conferences(t.Context())
	if err != nil || len(cs) != 1 || len(cs[0].Speakers) != 2 || len(cs[0].Invited) != 1 {
		t.Fatalf("conferences %+v %v", cs, err)
	}
	apptest.WantBody(t, b.Get("/desk/media/conferences"), "Typhoon briefing", "Wong Mei (Harbour Daily)")
	ics := b.Get(fmt.Sprintf("/desk/media/conferences/%d/invitation.ics", cs[0].ID))
	apptest.WantStatus(t, ics, http.StatusOK)
	apptest.WantBody(t, ics, "BEGIN:VEVENT", "SUMMARY:Typhoon briefing", "LOCATION:Press room\\, 2/F",
		"DTSTART:"+start.Format("20060102T150405Z"), "Director Chan (spokesperson)")
}
