package delivery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/config"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// base is the public address the app is told it has; the links in its
// messages are fetched from the running app at the same path.
const base = "https://desk.example"

// payloads is a webhook endpoint that keeps each notice's payload.
type payloads struct {
	mu   sync.Mutex
	body map[int64][]byte // notice id → body
}

func (p *payloads) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &m); err == nil {
		p.mu.Lock()
		p.body[m.Data.ID] = b
		p.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *payloads) waitFor(t *testing.T, id int64) []byte {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		b := p.body[id]
		p.mu.Unlock()
		if b != nil {
			return b
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no webhook for notice %d", id)
	return nil
}

var linkRe = regexp.MustCompile(regexp.QuoteMeta(base) + `[^\s"'<>\\)]*`)

// TestMessagesLinkOnlyToPagesThatExist publishes a public, a media and an
// internal notice on the real app and follows every link their e-mails and
// webhook payloads carry, as their readers would: the public ones without
// signing in, the internal notice's as a member of staff it went to. An
// internal notice's e-mail has no subscriber footer or unsubscribe link;
// a media notice, which has no public page, links nowhere.
func TestMessagesLinkOnlyToPagesThatExist(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	e := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.SMTPURL, c.MailFrom, c.BaseURL = inbox.URL(), "desk@example.org", base
	}})
	ctx := context.Background()
	w := e.World()
	hooks := &payloads{body: map[int64][]byte{}}
	srv := httptest.NewServer(hooks)
	t.Cleanup(srv.Close)
	admin := e.User("links-admin", authz.Admin)
	if _, err := e.Store.Endpoints().Register(ctx, apptest.As(admin), subscriber.Endpoint{Name: "newsroom", URL: srv.URL + "/hook",
		Secret: secret, Audiences: []string{"public", "media"}, Status: subscriber.EndpointActive}); err != nil {
		t.Fatal(err)
	}
	observer := e.UserWith(account.NewUser{Name: "links-observer", Role: authz.Observer, Email: "observer@example.org"})
	e.AddSubscribers(channel.Email, "resident@example.org")

	publish := func(n notice.Notice) notice.Notice {
		t.Helper()
		ns := e.Store.Notices()
		d, err := ns.Create(ctx, apptest.As(w.Editor), n)
		if err == nil {
			_, err = ns.Submit(ctx, apptest.As(w.Editor), d.ID, "")
		}
		if err == nil {
			_, err = ns.Approve(ctx, apptest.As(w.Approver), d.ID, "")
		}
		if err == nil {
			d, err = ns.Publish(ctx, apptest.As(w.Approver), d.ID)
		}
		if err != nil {
			t.Fatalf("publish %s notice: %v", n.Audience, err)
		}
		return d
	}
	public := publish(apptest.SampleNotice(w.Crisis.ID))
	media := apptest.SampleNotice(w.Crisis.ID)
	media.Audience = notice.Media
	media.Contents[0].Headline = "Press briefing at 17:00"
	media = publish(media)
	internal := publish(apptest.InternalBriefing(w.Crisis.ID))

	anonymous, staff := e.Browser(), e.SignIn(observer)
	follow := func(who *apptest.Browser, what, link string) {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if res := who.Get(u.RequestURI()); res.Status != http.StatusOK {
			t.Errorf("%s links to %s, which answers %d", what, link, res.Status)
		}
	}

	// Webhook payloads.
	pub := hooks.waitFor(t, public.ID)
	links := linkRe.FindAllString(string(pub), -1)
	if len(links) < 2 {
		t.Fatalf("the public notice's payload has links %v, want its page and CAP document", links)
	}
	for _, l := range links {
		follow(anonymous, "the public notice's payload", l)
	}
	if got := linkRe.FindAllString(string(hooks.waitFor(t, media.ID)), -1); len(got) != 0 {
		t.Errorf("the media notice's payload links to %v: it has no public page", got)
	}
	for _, l := range []string{"/notices/" + itoa(media.ID), "/notices/" + itoa(internal.ID)} {
		if res := anonymous.Get(l); res.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d: the test's premise (no public page) is wrong", l, res.Status)
		}
	}

	// E-mails: the subscriber's public notice and the observer's internal one.
	mails := map[string]received{}
	for _, m := range inbox.WaitFor(2, 30*time.Second) {
		mails[m.To[0]] = readMail(t, m)
	}
	res, ok := mails["resident@example.org"]
	if !ok || res.header.Get("List-Unsubscribe") == "" || !strings.Contains(res.text, "/unsubscribe/") {
		t.Fatalf("the subscriber's e-mail lacks its unsubscribe link: %+v", res)
	}
	follow(anonymous, "the subscriber's e-mail", base+"/notices/"+itoa(public.ID))
	in, ok := mails["observer@example.org"]
	if !ok {
		t.Fatalf("no e-mail for the observer; got %v", mails)
	}
	if in.header.Get("List-Unsubscribe") != "" {
		t.Errorf("the internal notice's e-mail has List-Unsubscribe: %s", in.header.Get("List-Unsubscribe"))
	}
	for _, part := range []string{in.text, in.html} {
		for _, bad := range []string{"unsubscribe", "subscribed to public notices"} {
			if strings.Contains(strings.ToLower(part), bad) {
				t.Errorf("the internal notice's e-mail says %q:\n%s", bad, part)
			}
		}
	}
	staffPage := base + "/desk/notices/" + itoa(internal.ID)
	for _, part := range []string{in.text, in.html} {
		got := linkRe.FindAllString(part, -1)
		if len(got) == 0 {
			t.Errorf("the internal notice's e-mail links nowhere:\n%s", part)
		}
		for _, l := range got {
			if l != staffPage {
				t.Errorf("the internal notice's e-mail links to %s, want only %s", l, staffPage)
			}
		}
	}
	follow(staff, "the internal notice's e-mail", staffPage)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
