package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/report"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web"
)

// TestRouteTable checks that every route declares exactly one kind of
// access and that the chain enforces it for every role and for strangers.
func TestRouteTable(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	target := e.User("target", authz.Editor)
	dept, err := e.Store.Accounts().CreateDepartment(t.Context(), apptest.CLI, account.DepartmentInput{Code: "health", Name: "Health"})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := e.Store.Experts().Create(t.Context(), apptest.CLI, expert.Input{Name: "Dr Chan", Email: "chan@example.org", Languages: []string{"en"}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	w := e.World()
	n, err := e.Store.Notices().Create(t.Context(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	e.AddSubscribers(channel.Email, "target@example.org")
	subs, _, err := e.Store.Subscribers().List(t.Context(), subscriber.Filter{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("subscribers %v %v", subs, err)
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	hook, err := e.Store.Endpoints().Register(t.Context(), apptest.CLI, subscriber.Endpoint{Name: "Radio", URL: "https://radio.example/hook",
		Secret: secret, Audiences: []string{"public"}})
	if err != nil {
		t.Fatal(err)
	}
	dr := e.ReadyDrill(w)
	_, mt, err := e.Store.Meetings().CreateSeries(t.Context(), apptest.As(w.Editor), meeting.Series{Title: "Weekly", FirstStart: time.Now().Add(48 * time.Hour),
		Duration: time.Hour, Invitees: []int64{target.ID}})
	if err != nil {
		t.Fatal(err)
	}
	last := time.Now().AddDate(0, -1, 0)
	rep, err := e.Store.Reports(time.UTC, report.Policy{}).Generate(t.Context(), apptest.As(w.Editor), report.Period{Year: last.Year(), Month: last.Month()})
	if err != nil {
		t.Fatal(err)
	}
	fb, err := e.Store.Feedback().Submit(t.Context(), feedback.Submission{Message: "Is the school open?", Contact: "parent@example.org", Channel: feedback.Web})
	if err != nil {
		t.Fatal(err)
	}
	path := func(p string) string {
		p = strings.Replace(p, "/desk/drills/{id}", fmt.Sprintf("/desk/drills/%d", dr.ID), 1)
		p = strings.Replace(p, "/desk/feedback/{id}", fmt.Sprintf("/desk/feedback/%d", fb.ID), 1)
		p = strings.Replace(p, "/desk/admin/users/{id}", fmt.Sprintf("/desk/admin/users/%d", target.ID), 1)
		p = strings.Replace(p, "/desk/admin/departments/{id}", fmt.Sprintf("/desk/admin/departments/%d", dept.ID), 1)
		p = strings.Replace(p, "/desk/admin/experts/{id}", fmt.Sprintf("/desk/admin/experts/%d", ex.ID), 1)
		p = strings.Replace(p, "/desk/catalog/{id}", fmt.Sprintf("/desk/catalog/%d", w.Type.ID), 1)
		p = strings.Replace(p, "/desk/plans/{id}", fmt.Sprintf("/desk/plans/%d", w.Plan.ID), 1)
		p = strings.Replace(p, "/desk/crises/{id}", fmt.Sprintf("/desk/crises/%d", w.Crisis.ID), 1)
		p = strings.Replace(p, "/desk/notices/{id}", fmt.Sprintf("/desk/notices/%d", n.ID), 1)
		p = strings.Replace(p, "/desk/tasks/{id}", fmt.Sprintf("/desk/tasks/%d", w.Tasks[0].ID), 1)
		p = strings.Replace(p, "/desk/subscribers/{id}", fmt.Sprintf("/desk/subscribers/%d", subs[0].ID), 1)
		p = strings.Replace(p, "/desk/webhooks/{id}", fmt.Sprintf("/desk/webhooks/%d", hook.ID), 1)
		p = strings.Replace(p, "/desk/actions/{id}", "/desk/actions/1", 1)
		p = strings.Replace(p, "/desk/meetings/{id}", fmt.Sprintf("/desk/meetings/%d", mt.ID), 1)
		p = strings.Replace(p, "/desk/reports/{id}", fmt.Sprintf("/desk/reports/%d", rep.ID), 1)
		p = strings.Replace(p, "/desk/team/roles/{id}", "/desk/team/roles/1", 1) // the spokesperson, built in
		if strings.HasPrefix(p, "/desk/team/") {
			p = strings.Replace(p, "{id}", "1", 1) // no such member, session or material: 404
		}
		p = strings.Replace(p, "{entry}", fmt.Sprint(w.Note.ID), 1)
		p = strings.Replace(p, "{secret}", "cdcal_unknown", 1) // a calendar link: 404 unless real
		p = strings.Replace(p, "{obs}", "1", 1)
		p = strings.Replace(p, "/desk/rumours/{id}", "/desk/rumours/1", 1) // none: 404, never 403 or 5xx
		p = strings.Replace(p, "{sighting}", "1", 1)
		p = strings.Replace(p, "/desk/surveys/{id}", "/desk/surveys/1", 1)
		p = strings.Replace(p, "{n}", "0", 1)
		p = strings.Replace(p, "{$}", "", 1)
		if strings.Contains(p, "{") {
			t.Fatalf("route test cannot fill in %s", p)
		}
		return p
	}
	clients := map[authz.Role]*apptest.Browser{}
	for _, role := range authz.Roles {
		clients[role], _ = e.SignedIn("as-"+string(role), role)
	}
	anon := e.Browser()

	for _, rt := range e.App.Web.Routes() {
		kinds := 0
		for _, b := range []bool{rt.Public, rt.SignedIn, rt.Action != ""} {
			if b {
				kinds++
			}
		}
		if kinds != 1 {
			t.Errorf("%s %s: declares %d kinds of access, want exactly 1", rt.Method, rt.Pattern, kinds)
		}
		if strings.HasPrefix(rt.Pattern, "/static/") {
			continue
		}
		p := path(rt.Pattern)
		send := func(c *apptest.Browser) apptest.Response {
			if rt.Method == http.MethodGet && strings.HasSuffix(p, "/events") {
				return c.Stream(p, 200*time.Millisecond)
			}
			if rt.Method == http.MethodGet {
				return c.Get(p)
			}
			return c.PostForm(p, nil)
		}
		if !rt.Public {
			res := send(anon)
			if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/signin") {
				t.Errorf("anonymous %s %s: %d %q, want redirect to sign-in", rt.Method, p, res.Status, res.Location())
			}
		}
		for _, role := range authz.Roles {
			allowed := rt.Action == "" || authz.Can(role, rt.Action)
			if rt.Method != http.MethodGet && allowed {
				continue // would change things; the page tests cover these
			}
			res := send(clients[role])
			switch {
			case !allowed && res.Status != http.StatusForbidden:
				t.Errorf("%s %s %s: %d, want 403", role, rt.Method, p, res.Status)
			case allowed && (res.Status == http.StatusForbidden || res.Status >= 500):
				t.Errorf("%s %s %s: %d, want access", role, rt.Method, p, res.Status)
			}
		}
	}
}

func TestRegisterDoesNotShadowAppRoutes(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	mux := http.NewServeMux()
	e.App.Web.Register(mux)
	for _, p := range []string{"/api/v1/users", "/healthz", "/readyz", "/metrics", "/", "/crises/1", "/notices/1", "/feed.atom", "/cap.atom"} {
		req, _ := http.NewRequest(http.MethodGet, p, nil)
		if _, pattern := mux.Handler(req); pattern != "" {
			t.Errorf("%s is served by the UI pattern %q", p, pattern)
		}
	}
}

func TestNewRequiresServices(t *testing.T) {
	t.Parallel()
	if _, err := web.New(web.Options{}); err == nil || !strings.Contains(err.Error(), "Options.Accounts is required") {
		t.Errorf("New without services: %v", err)
	}
}
