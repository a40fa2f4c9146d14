package public_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
	"crisisdesk/internal/subscriber"
)

// signup is the way in for subscriptions over st, wired as the app does.
// everyChannel is a site whose every channel can send.
func everyChannel(string) bool { return true }

func signup(st *store.Store) subscriber.Signup {
	return subscriber.Signup{
		Service: st.Subscribers(),
		CheckURL: func(ctx context.Context, raw string, public bool) error {
			return webhook.CheckURL(ctx, raw, public, nil)
		},
		NewSecret: webhook.NewSecret,
	}
}

const xss = `<script>alert(1)</script>`

// site is a public site over a real store, with notices in every state.
type site struct {
	t      testing.TB
	st     *store.Store
	clk    *clock.Fake
	live   *live.Broker
	pub    *public.Site
	srv    *httptest.Server
	mux    *http.ServeMux
	users  map[authz.Role]authz.Actor
	crisis crisis.Crisis
	drill  crisis.Crisis
	typ    catalog.Type
	signed plan.Plan // the approved typhoon plan

	original, correction, draft, internal, exercise, script notice.Notice

	homeRenders *atomic.Int32 // how often the site listed the open crises: renders of "/"
}

// countingCrises counts the lists of open crises, which only the home
// page asks for, so that a test can tell when "/" was rendered.
type countingCrises struct {
	crisis.Service
	open *atomic.Int32
}

func (c countingCrises) List(ctx context.Context, f crisis.Filter) ([]crisis.Crisis, int, error) {
	if f.Open {
		c.open.Add(1)
	}
	return c.Service.List(ctx, f)
}

func newSite(t testing.TB) *site {
	t.Helper()
	return newSiteOn(t, "sqlite:"+filepath.Join(t.TempDir(), "crisisdesk.db"))
}

// newSiteOn is newSite on the database dsn names.
func newSiteOn(t testing.TB, dsn string) *site {
	t.Helper()
	ctx := context.Background()
	s := &site{t: t, clk: clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)), live: live.NewBroker(), users: map[authz.Role]authz.Actor{}}
	st, err := store.Open(ctx, dsn, store.Options{Clock: s.clk, Live: s.live, Passwords: accounttest.WeakHashing()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	s.st = st
	sys := authz.System(authz.SourceCLI, "test")
	for _, r := range authz.Roles {
		u, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "u-" + string(r), Role: r, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		s.users[r] = u.Actor(authz.SourceUI)
	}
	p := s.plan()
	s.signed = p
	s.crisis = s.declare(p, "Typhoon <b>Haiyan</b>", false)
	s.drill = s.declare(p, "Drill typhoon", true)

	s.original = s.publish(s.newNotice(s.crisis.ID, "Typhoon warning", "Stay indoors."))
	corrected := append([]notice.Content(nil), s.original.Contents...)
	corrected[1].Body = "Stay indoors until signal 3."
	corrected[0].Body = "請留在室內，直至三號信號。"
	corr, err := st.Notices().Correct(ctx, s.users[authz.Editor], s.original.ID, notice.Factual, corrected)
	if err != nil {
		t.Fatal(err)
	}
	s.correction = s.publish(corr)

	s.draft = s.newNotice(s.crisis.ID, "DRAFTSECRET", "not yet")
	in := s.notice(s.crisis.ID, "INTERNALSECRET", "staff only")
	in.Audience, in.Roles = notice.Internal, []authz.Role{authz.Commander}
	if s.internal, err = st.Notices().Create(ctx, s.users[authz.Editor], in); err != nil {
		t.Fatal(err)
	}
	s.internal = s.publish(s.internal)
	s.exercise = s.publish(s.newNotice(s.drill.ID, "Drill headline", "Drill body"))

	bad := s.notice(0, xss, xss)
	for i := range bad.Contents {
		c := &bad.Contents[i]
		c.Headline, c.Body, c.Instruction, c.Contact = xss+c.Language, xss, xss, xss
	}
	bad.CAP.Event, bad.CAP.Area.Description = xss, xss
	if s.script, err = st.Notices().Create(ctx, s.users[authz.Editor], bad); err != nil {
		t.Fatal(err)
	}
	s.script = s.publish(s.script)

	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	s.homeRenders = new(atomic.Int32)
	s.pub, err = public.New(public.Options{Notices: st.Notices(), Crises: countingCrises{st.Crises(), s.homeRenders}, Plans: st.Plans(), Catalog: cat, Office: st.Office(),
		Live: s.live, Signup: signup(st), CanSend: everyChannel, BaseURL: "https://alerts.example.org/", Clock: s.clk})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "huma", http.StatusTeapot) })
	s.pub.Register(mux)
	s.mux = mux
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) plan() plan.Plan {
	s.t.Helper()
	ctx := context.Background()
	types, err := s.st.Plans().Types(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	var typ catalog.Type
	for _, ty := range types {
		if ty.Code == "typhoon" {
			typ = ty
		}
	}
	body := plan.Body{
		Scope:      "All districts",
		Activation: map[catalog.Level]string{catalog.LevelII: "Signal 8"},
		Steps: []plan.Step{{Key: "r1", Phase: plan.Response, Title: "First public notice", Levels: []catalog.Level{2},
			OwnerRole: authz.Editor, Deadline: plan.Duration(30 * time.Minute)}},
	}
	ps := s.st.Plans()
	p, err := ps.Create(ctx, s.users[authz.Editor], "typhoon", typ.ID, "Typhoon plan", body)
	if err != nil {
		s.t.Fatal(err)
	}
	p, _ = ps.Submit(ctx, s.users[authz.Editor], p.ID, "")
	p, _ = ps.Review(ctx, s.users[authz.Reviewer], p.ID, "")
	if p, err = ps.Approve(ctx, s.users[authz.Approver], p.ID, ""); err != nil {
		s.t.Fatal(err)
	}
	s.typ = typ
	return p
}

func (s *site) declare(p plan.Plan, title string, exercise bool) crisis.Crisis {
	s.t.Helper()
	ctx := context.Background()
	cs := s.st.Crises()
	c, err := cs.Declare(ctx, s.users[authz.Commander], crisis.Declaration{Title: title, TypeID: s.typ.ID,
		Level: catalog.LevelII, Location: "Harbour", OccurredAt: s.clk.Now().Add(-time.Hour), Exercise: exercise})
	if err != nil {
		s.t.Fatal(err)
	}
	if c, err = cs.Activate(ctx, s.users[authz.Commander], c.ID, p.ID); err != nil {
		s.t.Fatal(err)
	}
	return c
}

func (s *site) notice(crisisID int64, headline, body string) notice.Notice {
	now := s.clk.Now()
	return notice.Notice{CrisisID: crisisID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: headline + " 颱風", Body: "請留在室內。", Instruction: "遠離海旁", Contact: "1823"},
			{Language: "en", Headline: headline, Body: body, Instruction: "Keep away from the shore", Contact: "Hotline 1823"},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Effective: now, Expires: now.Add(48 * time.Hour),
			Area: notice.Area{Description: "Harbour district", Polygons: []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"}}},
	}
}

func (s *site) newNotice(crisisID int64, headline, body string) notice.Notice {
	s.t.Helper()
	n, err := s.st.Notices().Create(context.Background(), s.users[authz.Editor], s.notice(crisisID, headline, body))
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

func (s *site) publish(n notice.Notice) notice.Notice {
	s.t.Helper()
	ctx := context.Background()
	ns := s.st.Notices()
	s.clk.Advance(time.Minute)
	var err error
	if n, err = ns.Submit(ctx, s.users[authz.Editor], n.ID, ""); err != nil {
		s.t.Fatal(err)
	}
	if n, err = ns.Approve(ctx, s.users[authz.Approver], n.ID, ""); err != nil {
		s.t.Fatal(err)
	}
	if n, err = ns.Publish(ctx, s.users[authz.Approver], n.ID); err != nil {
		s.t.Fatal(err)
	}
	return n
}

type response struct {
	status int
	header http.Header
	body   string
}

func (s *site) get(path string, header ...string) response {
	s.t.Helper()
	return s.do(http.MethodGet, path, header...)
}

// do sends one request with header name–value pairs, without asking for
// compression, and returns the response as it came.
func (s *site) do(method, path string, header ...string) response {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }
