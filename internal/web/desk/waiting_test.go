package desk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/live"
)

// What waits for whom: a submitted notice for those who decide on it, a
// returned one for its author, tasks for their owners; the menu counts
// them and the dashboard stream says when they change.
func TestWaitingForYou(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ctx := context.Background()
	editor, approver, reviewer := e.SignIn(w.Editor), e.SignIn(w.Approver), e.SignIn(w.Reviewer)
	commander := e.SignIn(w.Commander)
	observer, _ := e.SignedIn("watcher", authz.Observer)

	n, err := e.Store.Notices().Create(ctx, apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	events, stop := e.App.Live.Subscribe(live.DashboardTopic)
	defer stop()
	if _, err := e.Store.Notices().Submit(ctx, apptest.As(w.Editor), n.ID, ""); err != nil {
		t.Fatal(err)
	}
	for ev := range events {
		if ev.Type == "waiting" && ev.ID == n.ID {
			break // the live pages fetch their panel and the menu's count again
		}
	}

	notice := fmt.Sprintf(`href="/desk/notices/%d"`, n.ID)
	for _, tc := range []struct {
		name  string
		who   *apptest.Browser
		wants []string
		not   []string
	}{
		{"approver", approver, []string{`id="waiting-approve"`, notice, "was submitted for your decision by", `id="nav-dashboard-count"`}, []string{`id="waiting-review"`}},
		{"reviewer", reviewer, []string{`id="waiting-review"`, notice, `id="nav-dashboard-count"`}, []string{`id="waiting-approve"`}},
		{"commander: tasks too", commander, []string{`id="waiting-approve"`, `id="waiting-tasks"`, "Open the operations room"}, nil},
		{"the author", editor, []string{`id="waiting-none"`}, []string{`id="waiting-approve"`, `id="nav-dashboard-count"`}},
		{"an observer", observer, []string{`id="waiting-none"`}, []string{notice}},
	} {
		res := tc.who.Get("/desk")
		apptest.WantStatus(t, res, http.StatusOK)
		apptest.WantBody(t, res, append([]string{`id="waiting"`, `id="nav-dashboard-live" data-live-src="/desk/waiting"`}, tc.wants...)...)
		for _, s := range tc.not {
			if strings.Contains(res.Body, s) {
				t.Errorf("%s: the dashboard shows %s", tc.name, s)
			}
		}
	}
	// The menu's count alone, as the live pages fetch it.
	res := approver.Get("/desk/waiting")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<span id="nav-dashboard-live"`, `id="nav-dashboard-count" aria-hidden="true">1</span>`, "1 waiting for you")
	if strings.Contains(res.Body, "<html") {
		t.Error("the count came with a page around it")
	}

	// Returned: the author is told, the approvers' list empties.
	if _, err := e.Store.Notices().Return(ctx, apptest.As(w.Approver), n.ID, "Name the shelters"); err != nil {
		t.Fatal(err)
	}
	res = editor.Get("/desk")
	apptest.WantBody(t, res, `id="waiting-returned"`, notice, "Name the shelters", "was returned by", `id="nav-dashboard-count"`)
	if strings.Contains(approver.Get("/desk").Body, `id="waiting-approve"`) {
		t.Error("a returned notice still waits for approval")
	}

	// Marking the alerts read keeps what still waits.
	var ids []string
	for _, a := range mustAlerts(t, e, w.Editor.ID) {
		ids = append(ids, fmt.Sprint(a))
	}
	res = editor.PostForm("/desk/alerts/read", url.Values{"notice_alert": ids})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = editor.Get("/desk")
	if strings.Contains(res.Body, `id="waiting-alerts"`) {
		t.Error("read notice alerts still show")
	}
	apptest.WantBody(t, res, `id="waiting-returned"`)
}

func mustAlerts(t *testing.T, e *apptest.Env, userID int64) []int64 {
	t.Helper()
	list, err := e.Store.NoticeAlerts().Alerts(context.Background(), userID, true, 0)
	if err != nil || len(list) == 0 {
		t.Fatalf("alerts of %d: %v %v", userID, list, err)
	}
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}
