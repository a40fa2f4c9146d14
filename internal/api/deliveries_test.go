package api

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/delivery"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// published drafts, approves and publishes a notice through the API and
// runs its fan-out as the delivery job would.
func (e *env) published(body string) Notice {
	e.t.Helper()
	n := decode[Notice](e.t, e.call2("editor", "POST", "/api/v1/notices", body, 201).Body)
	e.call2("editor", "POST", noticePath(n.ID)+"/submit", `{}`, 200)
	e.call2("approver", "POST", noticePath(n.ID)+"/approve", `{}`, 200)
	n = decode[Notice](e.t, e.call2("approver", "POST", noticePath(n.ID)+"/publish", "", 200).Body)
	for range 100 {
		_, done, err := e.st.Deliveries().FanoutBatch(context.Background(), n.ID, 50)
		if err != nil {
			e.t.Fatal(err)
		}
		if done {
			return n
		}
	}
	e.t.Fatal("the fan-out never finished")
	return n
}

// sendAll claims a channel's deliveries and records the outcome answer
// gives each, as a sender does after trying them.
func (e *env) sendAll(noticeID int64, ch string, answer func(delivery.Delivery) delivery.Outcome) {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.st.Deliveries().Claim(ctx, noticeID, ch, 100, time.Minute)
	if err != nil || len(c.Items) == 0 {
		e.t.Fatalf("claim %s: %v, %d items", ch, err, len(c.Items))
	}
	var outs []delivery.Outcome
	for _, it := range c.Items {
		o := answer(it.Delivery)
		o.ID = it.ID
		if it.RecipientKind == delivery.ToEndpoint {
			o.Endpoint = it.RecipientID
		}
		outs = append(outs, o)
	}
	if _, err := e.st.Deliveries().Finish(ctx, c.Lease, outs); err != nil {
		e.t.Fatal(err)
	}
}

func TestNoticeDeliveries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := newEnvOn(t, engine, nil, nil)
		for _, body := range []string{
			`{"channel":"email","address":"john@example.org"}`,
			`{"channel":"sms","address":"+85291235678"}`,
			`{"channel":"webhook","address":"https://203.0.113.9/hook"}`,
		} {
			e.call2("admin", "POST", "/api/v1/subscribers", body, 201)
		}
		e.call2("admin", "POST", "/api/v1/webhooks", `{"url":"http://10.0.0.5/alerts","name":"Fire services"}`, 201)
		n := e.published(noticeJSON(0))
		path := noticePath(n.ID) + "/deliveries"

		later := time.Now().Add(time.Hour).UTC()
		e.sendAll(n.ID, "email", func(d delivery.Delivery) delivery.Outcome {
			return delivery.Outcome{State: delivery.Failed, Error: "452 4.2.2 <" + d.Address + ">: mailbox full", Next: later}
		})
		e.sendAll(n.ID, "sms", func(delivery.Delivery) delivery.Outcome {
			return delivery.Outcome{State: delivery.GaveUp, Error: "number not in service"}
		})
		e.sendAll(n.ID, "webhook", func(delivery.Delivery) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })

		w := e.call2("editor", "GET", path, "", 200)
		if keys := keysOf(t, w.Body.Bytes()); strings.Join(keys, ",") != "channels,failures,notice_id" {
			t.Errorf("keys %v", keys)
		}
		var raw struct {
			Channels []map[string]json.RawMessage
			Failures []map[string]json.RawMessage
		}
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"channel", "queued", "sent", "failed", "gave_up", "read"} {
			if _, ok := raw.Channels[0][k]; !ok {
				t.Errorf("channel entry lacks %s: %s", k, w.Body)
			}
		}
		var fkeys []string
		for k := range raw.Failures[0] {
			fkeys = append(fkeys, k)
		}
		slices.Sort(fkeys)
		if strings.Join(fkeys, ",") != "address,attempts,channel,id,last_error,next_attempt_at,recipient_kind,state" {
			t.Errorf("failure keys %v", fkeys)
		}

		masked := decode[NoticeDeliveries](t, w.Body)
		want := []ChannelProgress{
			{Channel: "email", Failed: 1, Total: 1, Done: 0},
			{Channel: "sms", GaveUp: 1, Total: 1, Done: 1},
			{Channel: "webhook", Sent: 2, Total: 2, Done: 1},
		}
		if masked.NoticeID != n.ID || fmt.Sprint(masked.Channels) != fmt.Sprint(want) {
			t.Errorf("progress %+v, want %+v", masked.Channels, want)
		}
		if len(masked.Failures) != 2 {
			t.Fatalf("failures %+v", masked.Failures)
		}
		email, sms := masked.Failures[0], masked.Failures[1]
		if email.Address != "j***@example.org" || email.LastError != "452 4.2.2 <j***@example.org>: mailbox full" ||
			email.State != "failed" || email.Attempts != 1 || email.RecipientKind != "subscriber" ||
			email.NextAttemptAt == nil || email.NextAttemptAt.Sub(later).Abs() > time.Millisecond {
			t.Errorf("e-mail failure %+v", email)
		}
		if sms.Address != "+852****5678" || sms.State != "gave_up" || sms.NextAttemptAt != nil || sms.LastError != "number not in service" {
			t.Errorf("SMS failure %+v", sms)
		}
		if strings.Contains(w.Body.String(), "john@") {
			t.Error("the editor sees a full address")
		}
		full := decode[NoticeDeliveries](t, e.call2("admin", "GET", path, "", 200).Body)
		if full.Failures[0].Address != "john@example.org" || !strings.Contains(full.Failures[0].LastError, "john@example.org") {
			t.Errorf("admin failures %+v", full.Failures)
		}
		if only := decode[NoticeDeliveries](t, e.call2("observer", "GET", path+"?channel=sms", "", 200).Body); len(only.Failures) != 1 || only.Failures[0].Channel != "sms" {
			t.Errorf("sms failures %+v", only.Failures)
		}
		e.call2("liaison", "GET", path, "", 403)
		e.call2("admin", "GET", "/api/v1/notices/99999/deliveries", "", 404)

		// Retry, per channel and then all.
		e.call2("observer", "POST", path+"/retry", `{}`, 403)
		e.call2("editor", "POST", path+"/retry", `{}`, 403)
		if p := decodeProblem(t, e.call2("approver", "POST", path+"/retry", `{"channel":"pigeon"}`, 422)); !hasLocation(p, "body.channel") {
			t.Errorf("unknown channel: %+v", p)
		}
		got := e.call2("approver", "POST", path+"/retry", `{"channel":"sms"}`, 200).Body.String()
		if strings.TrimSpace(got) != `{"queued":1}` {
			t.Errorf("retry sms: %s", got)
		}
		e.call2("approver", "POST", path+"/retry", `{"channel":"sms"}`, 409)
		if q := decode[RetryResult](t, e.call2("commander", "POST", path+"/retry", "", 200).Body); q.Queued != 1 {
			t.Errorf("retry all: %+v", q)
		}
		e.call2("admin", "POST", path+"/retry", `{}`, 409)
		e.call2("admin", "POST", "/api/v1/notices/99999/deliveries/retry", `{}`, 404)
		after := decode[NoticeDeliveries](t, e.call2("editor", "GET", path, "", 200).Body)
		if len(after.Failures) != 0 || after.Channels[0].Queued != 1 || after.Channels[1].Queued != 1 {
			t.Errorf("after retry: %+v", after)
		}
	})
}

func TestInbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := newEnvOn(t, engine, nil, nil)
		internal := e.published(noticeJSON(0, `"audience": "public"`, `"audience": "internal", "roles": ["observer", "liaison"]`))
		public := e.published(noticeJSON(0))

		w := e.call2("observer", "GET", "/api/v1/me/inbox", "", 200)
		box := decode[Inbox](t, w.Body)
		if len(box.Items) != 1 || box.Unread != 1 {
			t.Fatalf("inbox %s", w.Body)
		}
		it := box.Items[0]
		if it.NoticeID != internal.ID || it.Read || it.ReadAt != nil || it.SentAt == nil || it.Notice == nil ||
			it.Notice.Content["en"].Headline != "Typhoon warning" || it.Notice.Audience != "internal" {
			t.Errorf("item %+v", it)
		}
		var rawItems struct{ Items []map[string]json.RawMessage }
		if err := json.Unmarshal(w.Body.Bytes(), &rawItems); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"notice_id", "sent_at", "read_at", "read", "notice"} {
			if _, ok := rawItems.Items[0][k]; !ok {
				t.Errorf("inbox item lacks %s", k)
			}
		}

		read := fmt.Sprintf("/api/v1/me/inbox/%d/read", internal.ID)
		e.call2("observer", "POST", read, "", 204)
		e.call2("observer", "POST", read, `{}`, 204) // the first opening counts; again is no error
		box = decode[Inbox](t, e.call2("observer", "GET", "/api/v1/me/inbox", "", 200).Body)
		if box.Unread != 0 || !box.Items[0].Read || box.Items[0].ReadAt == nil {
			t.Errorf("after reading: %+v", box)
		}
		if l := decode[Inbox](t, e.call2("liaison", "GET", "/api/v1/me/inbox", "", 200).Body); l.Unread != 1 {
			t.Errorf("the liaison's inbox %+v", l)
		}
		if ed := e.call2("editor", "GET", "/api/v1/me/inbox", "", 200).Body.String(); !strings.Contains(ed, `"items":[]`) {
			t.Errorf("the editor's inbox %s", ed)
		}
		e.call2("editor", "POST", read, "", 404)
		e.call2("observer", "POST", fmt.Sprintf("/api/v1/me/inbox/%d/read", public.ID), "", 404)
		e.call2(anonymous, "GET", "/api/v1/me/inbox", "", 401)

		receipts, err := e.st.Deliveries().Receipts(context.Background(), internal.ID)
		if err != nil || len(receipts) != 2 {
			t.Fatalf("receipts %v %+v", err, receipts)
		}
		for _, r := range receipts {
			if (r.UserID == e.users["observer"].ID) == r.ReadAt.IsZero() {
				t.Errorf("receipt %+v", r)
			}
		}
	})
}
