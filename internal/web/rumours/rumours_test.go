package rumours_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/rumour"
)

func rumourForm(crisisID int64) url.Values {
	return url.Values{"claim": {"The reservoir dam has burst"}, "verdict": {"unverified"}, "spread": {"high"},
		"first_seen": {"2026-01-01T08:00"}, "crisis_id": {fmt.Sprint(crisisID)}}
}

func TestRumourFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	for _, c := range []struct {
		name, field, value, id, want string
	}{
		{"no claim", "claim", "", "rumour-claim", "Write the claim"},
		{"huge claim", "claim", strings.Repeat("x", 20000), "rumour-claim", "Write the claim"},
		{"bad verdict", "verdict", "maybe", "rumour-verdict", "Choose a verdict"},
		{"future", "first_seen", "2999-01-01T00:00", "rumour-first-seen", "not in the future"},
		{"unparsable", "first_seen", "yesterday", "rumour-first-seen", "not in the future"},
		{"no such crisis", "crisis_id", "99999", "rumour-crisis", "Choose a crisis"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := rumourForm(w.Crisis.ID)
			f.Set(c.field, c.value)
			res := b.PostForm("/desk/rumours/new", f)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, `id="error-summary"`, `href="#`+c.id+`"`, c.want, `class="field-error"`)
		})
	}
	if _, total, _ := e.Store.Rumours().List(t.Context(), rumour.Filter{}); total != 0 {
		t.Fatalf("a refused form saved %d", total)
	}
	obs := e.SignIn(w.Reviewer)
	apptest.WantStatus(t, obs.PostForm("/desk/rumours/new", rumourForm(w.Crisis.ID)), http.StatusForbidden)
}

func TestRumourToDraftClarification(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	res := b.PostForm("/desk/rumours/new", rumourForm(w.Crisis.ID))
	m := regexp.MustCompile(`^/desk/rumours/(\d+)\?done=rumour_created$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page := "/desk/rumours/" + m[1]
	apptest.WantBody(t, b.Get(page), "The reservoir dam has burst", `id="rumour-answer"`)

	// A screenshot: too big and not an image are refused; a PNG is kept and served sandboxed.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
	fields := url.Values{"seen_at": {"2026-01-01T07:00"}, "place": {"Chat group"}}
	res = b.Upload(page+"/sightings", "image", "x.html", []byte("<script>alert(1)</script>"), fields)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Attach a PNG")
	res = b.Upload(page+"/sightings", "image", "shot.png", png, fields)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	body := b.Get(page).Body
	img := regexp.MustCompile(`/desk/rumours/\d+/sightings/\d+`).FindString(body)
	if img == "" {
		t.Fatalf("no screenshot link:\n%s", apptest.Snippet(body))
	}
	got := b.Get(img)
	if got.Status != http.StatusOK || got.Header.Get("Content-Type") != "image/png" || !strings.Contains(got.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("image: %d %v", got.Status, got.Header)
	}

	// Answering needs the facts; then it drafts the notice and opens its editor.
	res = b.PostForm(page+"/answer", nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Write the facts before answering")
	x, err := e.Store.Rumours().Get(t.Context(), mustID(t, m[1]))
	if err != nil {
		t.Fatal(err)
	}
	f := rumourForm(w.Crisis.ID)
	f.Set("verdict", "false")
	f.Set("facts", "The dam is intact; engineers inspected it at 09:00.")
	f.Set("lock", fmt.Sprint(x.Lock))
	apptest.WantStatus(t, b.PostForm(page, f), http.StatusSeeOther)
	res = b.PostForm(page+"/answer", nil)
	if res.Status != http.StatusSeeOther || !regexp.MustCompile(`^/desk/notices/\d+/edit\?done=rumour_answered$`).MatchString(res.Location()) {
		t.Fatalf("answer: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	x, _ = e.Store.Rumours().Get(t.Context(), x.ID)
	n, err := e.Store.Notices().Get(t.Context(), x.NoticeID)
	if err != nil || len(n.Contents) != 3 || !strings.Contains(n.Content("en").Body, "engineers inspected") ||
		!strings.Contains(n.Content("zh-Hant").Headline, "澄清") {
		t.Fatalf("draft: %v %+v", err, n.Contents)
	}
	apptest.WantBody(t, b.Get(res.Location()), "Clarification drafted from the rumour")
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// A question from the public is linked to the rumour it mentions from
// its feedback page; the rumour page counts and lists it, and a rumour
// that does not exist is refused beside the field.
func TestRumourListsTheQuestionsThatMentionIt(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	res := b.PostForm("/desk/rumours/new", rumourForm(w.Crisis.ID))
	apptest.WantStatus(t, res, http.StatusSeeOther)
	m := regexp.MustCompile(`^/desk/rumours/(\d+)`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("created rumour at %q", res.Location())
	}
	fb, err := e.Store.Feedback().Submit(t.Context(), feedback.Submission{Message: "Has the dam burst? My neighbour says so.", Channel: feedback.Web})
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/feedback/%d", fb.ID)
	apptest.WantBody(t, b.Get(page), `id="rumour-form"`, "The reservoir dam has burst")
	res = b.PostForm(page+"/rumour", url.Values{"rumour_id": {"99999"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="rumour-error"`)
	apptest.WantStatus(t, b.PostForm(page+"/rumour", url.Values{"rumour_id": {m[1]}}), http.StatusSeeOther)
	apptest.WantBody(t, b.Get(page), `id="fb-rumour"`, `href="/desk/rumours/`+m[1]+`"`)
	apptest.WantBody(t, b.Get("/desk/rumours/"+m[1]), `id="rumour-questions"`, "1 question from the public mentions it", fb.Ref,
		"Has the dam burst?")
}
