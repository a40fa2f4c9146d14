package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web"
)

// newDeskEnv is newEnv with the delivery pages mounted: subscribers,
// webhooks and the delivery log on the same real store, and a delivery
// engine over the given channel adapters for the "send test".
func newDeskEnv(t *testing.T, senders ...channel.Sender) *env {
	t.Helper()
	broker := live.NewBroker()
	st := openStore(t, broker)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{
		Accounts: st.Accounts(), Audit: st.Audit(), Sessions: &session.Manager{Accounts: st.Accounts()},
		Catalog: cat, Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Live: broker,
		Logger: slog.New(slog.DiscardHandler), Version: "test",
		Subscribers: st.Subscribers(), Endpoints: st.Endpoints(), Deliveries: st.Deliveries(),
		Channels: delivery.New(delivery.Options{Senders: senders}),
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	mux.HandleFunc("/", h.NotFound)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, live: broker, h: h, srv: srv}
}

// publishAndFanout takes n through the workflow: the world's editor writes and
// submits it, its approver approves and publishes it. The fan-out then
// runs to its end, as the delivery job would.
func (e *env) publishAndFanout(w world, n notice.Notice) notice.Notice {
	e.t.Helper()
	ctx := context.Background()
	ns := e.st.Notices()
	d, err := ns.Create(ctx, as(w.editor), n)
	if err == nil {
		_, err = ns.Submit(ctx, as(w.editor), d.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(ctx, as(w.approver), d.ID, "")
	}
	if err == nil {
		d, err = ns.Publish(ctx, as(w.approver), d.ID)
	}
	if err != nil {
		e.t.Fatalf("publish: %v", err)
	}
	for range 1000 {
		_, done, err := e.st.Deliveries().FanoutBatch(ctx, d.ID, 100)
		if err != nil {
			e.t.Fatalf("fan-out: %v", err)
		}
		if done {
			return d
		}
	}
	e.t.Fatal("the fan-out never finished")
	return d
}

// addSubscribers adds active subscribers, as an admin's import would.
func (e *env) addSubscribers(ch string, addrs ...string) {
	e.t.Helper()
	for _, a := range addrs {
		_, err := e.st.Subscribers().Create(context.Background(), cli,
			subscriber.Subscriber{Channel: ch, Address: a, Language: "en", Source: subscriber.FromImport})
		if err != nil {
			e.t.Fatalf("subscribe %s: %v", a, err)
		}
	}
}

// settleDeliveries claims every due delivery of a channel and records the outcome
// that decide gives for its address, as a sender job does after its sends.
func (e *env) settleDeliveries(noticeID int64, ch string, decide func(addr string) delivery.Outcome) {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.st.Deliveries().Claim(ctx, noticeID, ch, 1000, time.Minute)
	if err != nil {
		e.t.Fatal(err)
	}
	var outs []delivery.Outcome
	for _, it := range c.Items {
		o := decide(it.Address)
		o.ID = it.ID
		outs = append(outs, o)
	}
	if _, err := e.st.Deliveries().Finish(ctx, c.Lease, outs); err != nil {
		e.t.Fatal(err)
	}
}

// uploadFile posts a multipart form with one file and the CSRF token.
func (c *client) uploadFile(path, field, name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField(session.CSRFField, c.csrf()); err != nil {
		c.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile(field, name)
	if err == nil {
		_, err = fw.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		c.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// scripted sends a request the way the page's script does.
func (c *client) scripted(method, path string, body string) response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base.String()+path, bytes.NewBufferString(body))
	req.Header.Set("HX-Request", "true")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(session.CSRFHeader, c.csrf())
	}
	return c.do(req)
}

// clientsFor signs in one user per role, named after the role.
func (e *env) clientsFor(roles ...authz.Role) map[authz.Role]*client {
	e.t.Helper()
	out := map[authz.Role]*client{}
	for _, r := range roles {
		out[r], _ = e.signedIn("as-"+string(r), r)
	}
	return out
}
