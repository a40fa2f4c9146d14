package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/config"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// mailWait bounds each wait for an e-mail or for a delivery to finish.
const mailWait = 20 * time.Second

// mailFrom is the app's sender address; its domain is the right-hand side
// of every Message-ID.
const mailFrom = "alerts@example.org"

// startMailApp boots the real app (bootApp), sending e-mail to
// inbox and polling for jobs often, so that River picks up the
// confirmation and delivery jobs quickly on SQLite. Its base URL is left
// empty: the app then links to the address it is bound to.
func startMailApp(t *testing.T, inbox *channeltest.Inbox) (string, *app.App) {
	t.Helper()
	return bootApp(t, app.Options{
		Config:          config.Config{AdminPassword: "first-admin-password-1", SMTPURL: inbox.URL(), MailFrom: mailFrom},
		JobPollInterval: 50 * time.Millisecond,
	})
}

// parsedMail is a received e-mail taken apart: its headers and its
// decoded text and HTML parts.
type parsedMail struct {
	header     mail.Header
	text, html string
}

// subject is the decoded Subject header.
func (m parsedMail) subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
	if err != nil {
		return m.header.Get("Subject")
	}
	return s
}

// parseMail reads a message as received, walking its MIME parts and
// undoing their transfer encodings.
func parseMail(raw []byte) (parsedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return parsedMail{}, fmt.Errorf("read message: %w", err)
	}
	out := parsedMail{header: msg.Header}
	if err := readPart(textproto.MIMEHeader(msg.Header), msg.Body, &out); err != nil {
		return parsedMail{}, err
	}
	return out, nil
}

// readPart stores the text/plain and text/html parts under h and body in
// out, descending into multipart containers.
func readPart(h textproto.MIMEHeader, body io.Reader, out *parsedMail) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s part: %w", mt, err)
			}
			if err := readPart(p.Header, p, out); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s part: %w", mt, err)
	}
	if cs := params["charset"]; mt == "text/plain" || mt == "text/html" {
		if !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
			return fmt.Errorf("%s part in charset %q, want utf-8", mt, cs)
		}
	}
	switch mt {
	case "text/plain":
		out.text = strings.ReplaceAll(string(b), "\r\n", "\n")
	case "text/html":
		out.html = string(b)
	}
	return nil
}

// sentTo reports whether m's envelope has exactly the one recipient addr.
func sentTo(m channeltest.Mail, addr string) bool {
	return len(m.To) == 1 && strings.EqualFold(m.To[0], addr)
}

// waitMail waits, within mailWait, for a message that match accepts, and
// returns it parsed. A message that cannot be parsed fails the test.
func waitMail(t *testing.T, inbox *channeltest.Inbox, what string, match func(channeltest.Mail, parsedMail) bool) parsedMail {
	t.Helper()
	deadline := time.Now().Add(mailWait)
	seen := 0
	for n := 1; ; n = seen + 1 {
		got := inbox.WaitFor(n, max(0, time.Until(deadline)))
		for _, m := range got[seen:] {
			p, err := parseMail(m.Raw)
			if err != nil {
				t.Fatalf("a message to %v does not parse: %v\n%s", m.To, err, m.Data)
			}
			if match(m, p) {
				return p
			}
		}
		if len(got) < n {
			t.Fatalf("%s: not in the inbox within %s; it holds %d messages: %s", what, mailWait, len(got), inboxSummary(got))
		}
		seen = len(got)
	}
}

// inboxSummary lists the recipients and subjects of ms, for failures.
func inboxSummary(ms []channeltest.Mail) string {
	var b strings.Builder
	for _, m := range ms {
		subj := "?"
		if p, err := parseMail(m.Raw); err == nil {
			subj = p.subject()
		}
		fmt.Fprintf(&b, "\n  to %v: %q", m.To, subj)
	}
	return b.String()
}

// mailsTo returns what the inbox holds for addr.
func mailsTo(inbox *channeltest.Inbox, addr string) []channeltest.Mail {
	var out []channeltest.Mail
	for _, m := range inbox.Mail() {
		if slices.ContainsFunc(m.To, func(to string) bool { return strings.EqualFold(to, addr) }) {
			out = append(out, m)
		}
	}
	return out
}

// emailSettled waits, within mailWait, until a notice's fan-out has
// finished and none of its e-mail deliveries is queued or waiting for a
// retry, and returns their count.
func emailSettled(t *testing.T, a *app.App, noticeID int64) delivery.Progress {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(mailWait)
	for {
		_, fanoutDone, err := a.Store.Deliveries().Pending(ctx, noticeID, channel.Email)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := a.Store.Deliveries().Progress(ctx, noticeID)
		if err != nil {
			t.Fatal(err)
		}
		email := delivery.Progress{Channel: channel.Email}
		for _, p := range ps {
			if p.Channel == channel.Email {
				email = p
			}
		}
		if fanoutDone && email.Queued == 0 && email.Failed == 0 {
			return email
		}
		if time.Now().After(deadline) {
			t.Fatalf("notice %d: e-mail delivery unfinished after %s (fan-out done: %v): %+v", noticeID, mailWait, fanoutDone, email)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// publishNotice drafts a public alert in zh-Hant and en as the editor,
// and approves and publishes it as the approver.
func publishNotice(t *testing.T, a *app.App, actors map[authz.Role]authz.Actor, zhHeadline, enHeadline string) notice.Notice {
	t.Helper()
	ctx := context.Background()
	ns := a.Store.Notices()
	n, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: i18n.TraditionalChinese, Headline: zhHeadline, Body: "中環今晚停水。", Instruction: "請預先儲水。"},
			{Language: i18n.English, Headline: enHeadline, Body: "No water in Central tonight.", Instruction: "Store water now."},
		},
		CAP: notice.CAPInfo{Event: "Water outage", Category: "Infra", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
			Area: notice.Area{Description: "Central"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = ns.Submit(ctx, actors[authz.Editor], n.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = ns.Approve(ctx, actors[authz.Approver], n.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n, err = ns.Publish(ctx, actors[authz.Approver], n.ID); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBrowserSubscribeByEmail: a reader subscribes through the public form
// in zh-Hant, follows the confirmation link from the e-mail the SMTP server
// caught, and receives the next published notice in zh-Hant with one-click
// unsubscribe headers; the unsubscribe link stops the subscription, and a
// further notice reaches others but not the reader.
func TestBrowserSubscribeByEmail(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	inbox := channeltest.NewInbox(t)
	base, a := startMailApp(t, inbox)
	actors := officeUsers(t, a, "sub-")
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("inbox:%s", inboxSummary(inbox.Mail()))
		}
	})
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	zh := cat.For(i18n.TraditionalChinese)
	// heading checks that the page's h1 says key in the page's own language.
	heading := func(key string) {
		t.Helper()
		lang, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil {
			t.Fatalf("page language: %v", err)
		}
		if got, want := p.text("main h1"), cat.For(lang).T(key); got != want {
			t.Fatalf("the page (%s) is headed %q, want %q (%s)", lang, got, want, key)
		}
	}
	const address = "ming.reader@example.org"
	store := a.Store.Subscribers()

	// The sign-up, as a reader does it: e-mail, an address, zh-Hant.
	p.do("open the sign-up form", chromedp.Navigate(base+"/subscribe?lang=en"), chromedp.WaitVisible(chromedp.CSS("form.subscribe-form")))
	heading("subscribe.title")
	p.submit("sign up", i18n.English, "main h1",
		chromedp.Click(chromedp.CSS(`input[name="channel"][value="email"]`)),
		chromedp.SendKeys(chromedp.ID("email"), address),
		chromedp.Click(chromedp.CSS(`input[name="language"][value="zh-Hant"]`)),
		chromedp.Click(chromedp.CSS(`form.subscribe-form button[type="submit"]`)))
	p.expectPath("/subscribe")
	heading("subscribe.sent.title")
	en := cat.For(i18n.English)
	if got, want := p.text("main"), en.T("subscribe.sent.link", "Address", address); !strings.Contains(got, want) {
		t.Fatalf("the page after the sign-up says %q, want it to say %q", got, want)
	}
	subs, _, err := store.List(context.Background(), subscriber.Filter{Channel: channel.Email, Query: address})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Status != subscriber.Pending || subs[0].Language != i18n.TraditionalChinese ||
		subs[0].Source != subscriber.FromPublic {
		t.Fatalf("after the sign-up the store holds %+v, want one pending zh-Hant public subscriber", subs)
	}
	sub := subs[0]

	// The confirmation e-mail, in the language chosen.
	confirmMail := waitMail(t, inbox, "the confirmation e-mail", func(m channeltest.Mail, _ parsedMail) bool { return sentTo(m, address) })
	if got, want := confirmMail.subject(), zh.T("delivery.confirm_subject"); got != want {
		t.Errorf("confirmation subject %q, want %q", got, want)
	}
	prefix := base + "/subscribe/confirm?token="
	i := strings.Index(confirmMail.text, prefix)
	if i < 0 {
		t.Fatalf("the confirmation e-mail's text has no link starting %s:\n%s", prefix, confirmMail.text)
	}
	link, _, _ := strings.Cut(confirmMail.text[i:], "\n")
	link = strings.TrimSpace(link)
	if !strings.Contains(confirmMail.html, link) {
		t.Errorf("the HTML part does not carry the text part's link %s:\n%s", link, confirmMail.html)
	}

	// Opening the link changes nothing until the button is pressed.
	p.do("open the confirmation link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`form[action^="/subscribe/confirm"]`)))
	heading("subscribe.confirm.title")
	if s, err := store.Get(context.Background(), sub.ID); err != nil || s.Status != subscriber.Pending {
		t.Fatalf("after only opening the link the subscriber is %q (%v), want pending", s.Status, err)
	}
	p.submit("confirm", "", "main h1", chromedp.Click(chromedp.CSS(`form[action^="/subscribe/confirm"] button[type="submit"]`)))
	heading("subscribe.done.title")
	if sub, err = store.Get(context.Background(), sub.ID); err != nil || sub.Status != subscriber.Active {
		t.Fatalf("after confirming the subscriber is %q (%v), want active", sub.Status, err)
	}
	shown, err := chromedp.Run(p.ctx, chromedp.AttributeValue(chromedp.CSS(`main a[href^="/unsubscribe/"]`), "href"))
	if err != nil {
		t.Fatalf("the subscribed page has no unsubscribe link: %v", err)
	}
	if want := "/unsubscribe/" + sub.Token; shown.Value != want {
		t.Errorf("the subscribed page links to %s, want %s", shown.Value, want)
	}

	// The next published notice arrives in zh-Hant.
	const zhHeadline, enHeadline = "食水供應暫停", "Water supply suspended"
	first := publishNotice(t, a, actors, zhHeadline, enHeadline)
	wantID := "<" + delivery.Key(first.ID, delivery.ToSubscriber, sub.ID, channel.Email) + "@example.org>"
	got := waitMail(t, inbox, "the notice e-mail", func(m channeltest.Mail, pm parsedMail) bool {
		return sentTo(m, address) && pm.header.Get("Message-ID") == wantID
	})
	to, err := got.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != address {
		t.Errorf("notice e-mail To %q (%v), want %s", got.header.Get("To"), err, address)
	}
	if from, err := mail.ParseAddress(got.header.Get("From")); err != nil || from.Address != mailFrom {
		t.Errorf("notice e-mail From %q (%v), want %s", got.header.Get("From"), err, mailFrom)
	}
	if s := got.subject(); s != zhHeadline {
		t.Errorf("notice e-mail subject %q, want the zh-Hant headline %q", s, zhHeadline)
	}
	if !strings.Contains(got.text, zhHeadline) || strings.Contains(got.text, enHeadline) {
		t.Errorf("notice e-mail text should carry the zh-Hant headline only:\n%s", got.text)
	}
	if l := got.header.Get("Content-Language"); l != i18n.TraditionalChinese {
		t.Errorf("notice e-mail Content-Language %q, want %s", l, i18n.TraditionalChinese)
	}
	unsubscribe := base + "/unsubscribe/" + sub.Token
	if h := got.header.Get("List-Unsubscribe"); h != "<"+unsubscribe+">" {
		t.Errorf("List-Unsubscribe %q, want <%s>", h, unsubscribe)
	}
	if h := got.header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q, want List-Unsubscribe=One-Click", h)
	}
	if !strings.Contains(got.text, unsubscribe) {
		t.Errorf("notice e-mail text lacks the unsubscribe link %s:\n%s", unsubscribe, got.text)
	}
	if t.Failed() {
		t.FailNow()
	}

	// The List-Unsubscribe link, opened in the browser: a page with a
	// button, and nothing changes until it is pressed.
	p.do("open the unsubscribe link", chromedp.Navigate(unsubscribe), chromedp.WaitVisible(chromedp.CSS(`form[action^="/unsubscribe/"]`)))
	heading("unsubscribe.title")
	if s, err := store.Get(context.Background(), sub.ID); err != nil || s.Status != subscriber.Active {
		t.Fatalf("after only opening the unsubscribe link the subscriber is %q (%v), want active", s.Status, err)
	}
	p.submit("unsubscribe", "", "main h1", chromedp.Click(chromedp.CSS(`form[action^="/unsubscribe/"] button[type="submit"]`)))
	heading("unsubscribe.done.title")
	if s, err := store.Get(context.Background(), sub.ID); err != nil || s.Status != subscriber.Unsubscribed || s.UnsubscribedAt.IsZero() {
		t.Fatalf("after unsubscribing the subscriber is %+v (%v), want unsubscribed", s, err)
	}

	// A further notice reaches an active subscriber, and not the reader.
	const witness = "witness@example.org"
	w, err := store.Create(context.Background(), authz.System(authz.SourceCLI, "e2e"), subscriber.Subscriber{
		Channel: channel.Email, Address: witness, Language: i18n.English, Source: subscriber.FromImport})
	if err != nil {
		t.Fatal(err)
	}
	before := len(mailsTo(inbox, address))
	second := publishNotice(t, a, actors, "颱風警告", "Typhoon warning")
	witnessID := "<" + delivery.Key(second.ID, delivery.ToSubscriber, w.ID, channel.Email) + "@example.org>"
	seen := waitMail(t, inbox, "the further notice to the other subscriber", func(m channeltest.Mail, pm parsedMail) bool {
		return sentTo(m, witness) && pm.header.Get("Message-ID") == witnessID
	})
	if s := seen.subject(); s != "Typhoon warning" {
		t.Errorf("the other subscriber's e-mail subject %q, want the en headline", s)
	}
	progress := emailSettled(t, a, second.ID)
	if progress.Sent != 1 || progress.Total() != 1 {
		t.Errorf("the further notice's e-mail deliveries: %+v, want exactly one, sent (to the other subscriber)", progress)
	}
	if after := mailsTo(inbox, address); len(after) != before {
		t.Errorf("after unsubscribing %s received %d more messages:%s", address, len(after)-before, inboxSummary(after[before:]))
	}
	if before != 2 {
		t.Errorf("%s received %d messages in all, want 2 (the confirmation and one notice):%s", address, before, inboxSummary(mailsTo(inbox, address)))
	}
}
