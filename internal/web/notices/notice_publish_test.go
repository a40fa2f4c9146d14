package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
)

// TestPublishConfirmation: the approved notice's "Publish…" leads to a
// page that says where it goes, who gets it on each channel, the SMS
// exactly as sent with its segments and the first-notice clock; only its
// form publishes.
func TestPublishConfirmation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	e.AddSubscribers(channel.Email, "a@example.org", "b@example.org", "c@example.org")
	e.AddSubscribers(channel.SMS, "+85291234567", "+85291234568")
	boss := e.SignIn(w.Commander)
	ns := e.Store.Notices()
	draft := apptest.SampleNotice(w.Crisis.ID)
	draft.Contents[0].Instruction = "Keep away from the shore."
	n, err := ns.Create(t.Context(), apptest.As(w.Editor), draft)
	if err == nil {
		_, err = ns.Submit(t.Context(), apptest.As(w.Editor), n.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(t.Context(), apptest.As(w.Approver), n.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/notices/%d", n.ID)

	res := boss.Get(page + "/publish")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, fmt.Sprintf("Publish notice #%d?", n.ID), `id="publish-headline">Stay indoors</h2>`,
		`data-dest="publish.dest.page"`, `data-dest="publish.dest.feeds"`, `data-dest="publish.dest.cap"`,
		`id="reach-email"`, `data-count="3"`, `id="reach-sms"`, `data-count="2"`, `id="reach-total">5</td>`,
		`id="publish-sms-en"`, "1 segment", fmt.Sprintf(`Stay indoors Keep away from the shore. %s/notices/%d Reply STOP to unsubscribe`, e.URL, n.ID),
		`id="first-notice-clock"`, `id="publish-confirm"`, `name="confirm" value="yes"`)
	if strings.Contains(res.Body, `id="publish-fast-path"`) {
		t.Error("an approved notice is presented as the fast path")
	}
	// The counts are what the fan-out will send.
	if r, err := ns.Reach(t.Context(), n.ID); err != nil || r[channel.Email] != 3 || r[channel.SMS] != 2 {
		t.Fatalf("reach %v %v", r, err)
	}

	// Observers and editors get no confirmation page.
	for _, role := range []authz.Role{authz.Observer, authz.Editor} {
		b, _ := e.SignedIn("no-"+string(role), role)
		apptest.WantStatus(t, b.Get(page+"/publish"), http.StatusForbidden)
	}

	apptest.WantStatus(t, boss.PostForm(page+"/publish", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	if got, _ := ns.Get(t.Context(), n.ID); got.Status != notice.Published {
		t.Fatalf("confirmed publish left %s", got.Status)
	}
	// Once published there is nothing left to confirm.
	res = boss.Get(page + "/publish")
	apptest.WantStatus(t, res, http.StatusConflict)
}

// TestFastPathButton: the commander's draft from a plan template offers
// "Publish now without review" on its own, unlike Submit, through the
// same confirmation; others are not offered it.
func TestFastPathButton(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ctx := t.Context()
	body := apptest.PlanBody()
	body.FastPathLevels = []catalog.Level{catalog.LevelII}
	body.Templates[0].Level = catalog.LevelII
	for i := range body.Steps {
		body.Steps[i].Levels = append(body.Steps[i].Levels, catalog.LevelII)
	}
	p, err := e.Store.Plans().Create(ctx, apptest.As(w.Editor), "typhoon-fast", w.Type.ID, "Fast typhoon plan", body)
	if err == nil {
		_, err = e.Store.Plans().Submit(ctx, apptest.As(w.Editor), p.ID, "")
	}
	if err == nil {
		_, err = e.Store.Plans().Review(ctx, apptest.As(w.Reviewer), p.ID, "")
	}
	if err == nil {
		p, err = e.Store.Plans().Approve(ctx, apptest.As(w.Approver), p.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Store.Crises().Declare(ctx, apptest.As(w.Commander), crisis.Declaration{Title: "Typhoon Saola", TypeID: w.Type.ID,
		Level: catalog.LevelII, Location: "Harbour", OccurredAt: e.Clock.Now().Add(-5 * time.Minute)})
	if err == nil {
		_, err = e.Store.Crises().Activate(ctx, apptest.As(w.Commander), c.ID, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	d := apptest.SampleNotice(c.ID)
	d.TemplatePlanID = p.ID
	n, err := e.Store.Notices().Create(ctx, apptest.As(w.Commander), d)
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	boss := e.SignIn(w.Commander)
	res := boss.Get(page)
	apptest.WantBody(t, res, `id="notice-fast-path-card"`, `class="button fast-path" id="notice-publish-now" href="`+page+`/publish">Publish now without review</a>`,
		`id="notice-submit">Submit for approval</button>`)
	if strings.Contains(res.Body, `id="notice-publish"`) {
		t.Error("a draft offers the ordinary publish")
	}
	ed := e.SignIn(w.Editor)
	if strings.Contains(ed.Get(page).Body, "notice-publish-now") {
		t.Error("an editor is offered the fast path")
	}
	res = boss.Get(page + "/publish")
	apptest.WantBody(t, res, `id="publish-fast-path"`, `class="button fast-path" id="publish-confirm">Publish now without review</button>`)
	apptest.WantStatus(t, boss.PostForm(page+"/publish", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	got, err := e.Store.Notices().Get(ctx, n.ID)
	if err != nil || got.Status != notice.Published || !got.FastPath {
		t.Fatalf("fast path: %+v %v", got.Status, err)
	}

	// A publish refused after the confirmation says why, naming each
	// missing field, and leaves the notice unpublished.
	d.CAP.Urgency, d.CAP.Certainty = "", ""
	bad, err := e.Store.Notices().Create(ctx, apptest.As(w.Commander), d)
	if err != nil {
		t.Fatal(err)
	}
	badPage := fmt.Sprintf("/desk/notices/%d", bad.ID)
	res = boss.PostForm(badPage+"/publish", url.Values{"confirm": {"yes"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, `id="form-error">The notice was not published.`, "<li>Urgency: ", "<li>Certainty: ")
	if got, _ := e.Store.Notices().Get(ctx, bad.ID); got.Status != notice.Draft || !got.PublishedAt.IsZero() {
		t.Fatalf("a refused publish left the notice %s", got.Status)
	}
}

// TestNoFastPathWhereThePlanGivesNone: at a level the plan does not open
// to the fast path, the commander's template draft offers no "Publish now
// without review", and drafting from the templates lands on the draft.
func TestNoFastPathWhereThePlanGivesNone(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World() // level III, a plan without fast-path levels
	d := apptest.SampleNotice(w.Crisis.ID)
	d.TemplatePlanID = w.Plan.ID
	n, err := e.Store.Notices().Create(t.Context(), apptest.As(w.Commander), d)
	if err != nil {
		t.Fatal(err)
	}
	boss := e.SignIn(w.Commander)
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	res := boss.Get(page)
	apptest.WantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, "notice-publish-now") {
		t.Error("the fast path is offered at a level the plan does not open to it")
	}
	res = boss.Get(page + "/publish")
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "needs approval before it can be published")
	res = boss.PostForm("/desk/notices/from-templates", url.Values{"crisis_id": {fmt.Sprint(w.Crisis.ID)}})
	if m := draftLocation.FindStringSubmatch(res.Location()); m == nil || m[2] != "?done=notice_created" {
		t.Errorf("drafting from the templates at level III went to %q", res.Location())
	}
}
