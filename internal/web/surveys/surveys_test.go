package surveys_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/store"
	"crisisdesk/internal/survey"
)

// closedWithSurvey publishes a notice of w's crisis to two subscribers,
// closes the crisis and sends its survey; it returns the survey and the
// invitations' tokens.
func closedWithSurvey(t *testing.T, e *apptest.Env, w apptest.World) (survey.Survey, []string) {
	t.Helper()
	ctx := t.Context()
	e.AddSubscribers(channel.Email, "one@example.org", "two@example.org")
	e.PublishAndFanout(w, apptest.SampleNotice(w.Crisis.ID))
	cmd := apptest.As(w.Commander)
	if _, err := e.Store.Crises().Recover(ctx, cmd, w.Crisis.ID, "calm"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Crises().Close(ctx, cmd, w.Crisis.ID, "over"); err != nil {
		t.Fatal(err)
	}
	s, err := e.Store.Surveys().ByCrisis(ctx, w.Crisis.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s, nil
}

func invites(t *testing.T, st *store.Store, id int64) []string {
	t.Helper()
	in, err := st.NextSurveyInvites(t.Context(), id, 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, i := range in {
		out = append(out, i.Token)
	}
	return out
}

func TestSurveyFromCloseToResults(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	w := e.World()
	s, _ := closedWithSurvey(t, e, w)
	editor, reviewer := e.SignIn(w.Editor), e.SignIn(w.Reviewer)
	page := fmt.Sprintf("/desk/surveys/%d", s.ID)

	apptest.WantBody(t, editor.Get("/desk/surveys"), `id="chart-survey-trend"`, `id="survey-row-`)
	apptest.WantBody(t, editor.Get(page), `id="survey-send-by"`, "deadline", `id="survey-send"`)

	// The builder refuses a question missing a language, beside the field.
	form := url.Values{"lock": {fmt.Sprint(s.Lock)}, "count": {"1"}, "title.zh-Hant": {"調查"}, "title.zh-Hans": {"调查"},
		"title.en": {"Survey"}, "q0.key": {"clarity"}, "q0.kind": {"scale"}, "q0.text.zh-Hant": {"清楚嗎？"},
		"q0.text.zh-Hans": {"清楚吗？"}, "q0.text.en": {""}}
	res := editor.PostForm(page+"/edit", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, `href="#q0.text.en"`, "Write it in this language")
	apptest.WantStatus(t, reviewer.PostForm(page+"/send", nil), http.StatusForbidden)

	apptest.WantStatus(t, editor.PostForm(page+"/send", nil), http.StatusSeeOther)
	tokens := invites(t, e.Store, s.ID)
	if len(tokens) != 2 {
		t.Fatalf("invited %d", len(tokens))
	}

	// The public page works without a session and without JavaScript.
	anon := e.Browser()
	answer := "/surveys/answer?token=" + url.QueryEscape(tokens[0])
	apptest.WantBody(t, anon.Get(answer), `name="timeliness"`, `name="improve"`, "anonymous")
	apptest.WantStatus(t, anon.Get("/surveys/answer?token=nope"), http.StatusNotFound)
	bad := url.Values{"token": {tokens[0]}, "timeliness": {"9"}, "clarity": {"5"}, "usefulness": {"4"}, "trust": {"4"}}
	res = anon.PostForm("/surveys/answer?lang=en", bad)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Choose an answer from the list")
	good := url.Values{"token": {tokens[0]}, "timeliness": {"4"}, "clarity": {"5"}, "usefulness": {"4"}, "trust": {"3"},
		"channel": {"sms"}, "improve": {"<script>alert(1)</script> faster please"}}
	apptest.WantBody(t, anon.PostForm("/surveys/answer?lang=en", good), "Your answers are recorded")
	apptest.WantStatus(t, anon.PostForm("/surveys/answer?lang=en", good), http.StatusConflict)

	// Results: the free text for the editor, escaped; not for the reviewer.
	res = editor.Get(page)
	apptest.WantBody(t, res, `id="chart-q-timeliness"`, "&lt;script&gt;alert(1)&lt;/script&gt; faster please")
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Fatal("free text not escaped")
	}
	res = reviewer.Get(page)
	apptest.WantBody(t, res, `id="texts-hidden-improve"`)
	if strings.Contains(res.Body, "faster please") {
		t.Fatal("the reviewer reads the free text")
	}
	book := reviewer.Get(page + "/results.xlsx")
	apptest.WantStatus(t, book, http.StatusOK)
	rows := apptest.XLSXRows(t, []byte(book.Body), "Results")
	if len(rows) < 10 || strings.Contains(book.Body, "faster") {
		t.Fatalf("export: %d rows", len(rows))
	}
	csv := editor.Get(page + "/results.csv")
	if !strings.Contains(csv.Body, "'<script>") && !strings.Contains(csv.Body, "<script>alert(1)</script> faster please") {
		t.Fatalf("csv lacks the text: %s", csv.Body)
	}

	// Opting out works from the same link, answered or not.
	opt := "/surveys/optout?token=" + url.QueryEscape(tokens[1])
	apptest.WantStatus(t, anon.Get(opt), http.StatusOK)
	apptest.WantBody(t, anon.PostForm("/surveys/optout?lang=en", url.Values{"token": {tokens[1]}}), "no more surveys")
}
