package notices_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/notices"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestNoticeDeliveries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		for _, body := range []string{
			`{"channel":"email","address":"john@example.org"}`,
			`{"channel":"sms","address":"+85291235678"}`,
			`{"channel":"webhook","address":"https://203.0.113.9/hook"}`,
		} {
			e.Call("admin", "POST", "/api/v1/subscribers", body, 201)
		}
		e.Call("admin", "POST", "/api/v1/webhooks", `{"url":"http://10.0.0.5/alerts","name":"Fire services"}`, 201)
		noticeID := e.Published(apptest.NoticeJSON(0))
		path := noticePath(noticeID) + "/deliveries"

		later := time.Now().Add(time.Hour).UTC()
		e.SendAll(noticeID, "email", func(d delivery.Delivery) delivery.Outcome {
			return delivery.Outcome{State: delivery.Failed, Error: "452 4.2.2 <" + d.Address + ">: mailbox full", Next: later}
		})
		e.SendAll(noticeID, "sms", func(delivery.Delivery) delivery.Outcome {
			return delivery.Outcome{State: delivery.GaveUp, Error: "number not in service"}
		})
		e.SendAll(noticeID, "webhook", func(delivery.Delivery) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })

		w := e.Call("editor", "GET", path, "", 200)
		if keys := apptest.JSONKeys(t, w); strings.Join(keys, ",") != "channels,failures,notice_id" {
			t.Errorf("keys %v", keys)
		}
		var raw struct {
			Channels []map[string]json.RawMessage
			Failures []map[string]json.RawMessage
		}
		if err := json.Unmarshal([]byte(w.Body), &raw); err != nil {
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

		masked := apptest.Decode[notices.NoticeDeliveries](t, w)
		want := []notices.ChannelProgress{
			{Channel: "email", Failed: 1, Total: 1, Done: 0},
			{Channel: "sms", GaveUp: 1, Total: 1, Done: 1},
			{Channel: "webhook", Sent: 2, Total: 2, Done: 1},
		}
		if masked.NoticeID != noticeID || fmt.Sprint(masked.Channels) != fmt.Sprint(want) {
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
		if strings.Contains(w.Body, "john@") {
			t.Error("the editor sees a full address")
		}
		full := apptest.Decode[notices.NoticeDeliveries](t, e.Call("admin", "GET", path, "", 200))
		if full.Failures[0].Address != "john@example.org" || !strings.Contains(full.Failures[0].LastError, "john@example.org") {
			t.Errorf("admin failures %+v", full.Failures)
		}
		if only := apptest.Decode[notices.NoticeDeliveries](t, e.Call("observer", "GET", path+"?channel=sms", "", 200)); len(only.Failures) != 1 || only.Failures[0].Channel != "sms" {
			t.Errorf("sms failures %+v", only.Failures)
		}
		e.Call("liaison", "GET", path, "", 403)
		e.Call("admin", "GET", "/api/v1/notices/99999/deliveries", "", 404)

		// Retry, per channel and then all.
		e.Call("observer", "POST", path+"/retry", `{}`, 403)
		e.Call("editor", "POST", path+"/retry", `{}`, 403)
		if p := apptest.WantProblem(t, e.Call("approver", "POST", path+"/retry", `{"channel":"pigeon"}`, 422)); !p.Has("body.channel") {
			t.Errorf("unknown channel: %+v", p)
		}
		got := e.Call("approver", "POST", path+"/retry", `{"channel":"sms"}`, 200).Body
		if strings.TrimSpace(got) != `{"queued":1}` {
			t.Errorf("retry sms: %s", got)
		}
		e.Call("approver", "POST", path+"/retry", `{"channel":"sms"}`, 409)
		if q := apptest.Decode[notices.RetryResult](t, e.Call("commander", "POST", path+"/retry", "", 200)); q.Queued != 1 {
			t.Errorf("retry all: %+v", q)
		}
		e.Call("admin", "POST", path+"/retry", `{}`, 409)
		e.Call("admin", "POST", "/api/v1/notices/99999/deliveries/retry", `{}`, 404)
		after := apptest.Decode[notices.NoticeDeliveries](t, e.Call("editor", "GET", path, "", 200))
		if len(after.Failures) != 0 || after.Channels[0].Queued != 1 || after.Channels[1].Queued != 1 {
			t.Errorf("after retry: %+v", after)
		}
	})
}

func TestInbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		internalID := e.Published(apptest.NoticeJSON(0, `"audience": "public"`, `"audience": "internal", "roles": ["observer", "liaison"]`))
		publicID := e.Published(apptest.NoticeJSON(0))

		w := e.Call("observer", "GET", "/api/v1/me/inbox", "", 200)
		box := apptest.Decode[notices.Inbox](t, w)
		if len(box.Items) != 1 || box.Unread != 1 {
			t.Fatalf("inbox %s", w.Body)
		}
		it := box.Items[0]
		if it.NoticeID != internalID || it.Read || it.ReadAt != nil || it.SentAt == nil || it.Notice == nil ||
			it.Notice.Content["en"].Headline != "Typhoon warning" || it.Notice.Audience != "internal" {
			t.Errorf("item %+v", it)
		}
		var rawItems struct{ Items []map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(w.Body), &rawItems); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"notice_id", "sent_at", "read_at", "read", "notice"} {
			if _, ok := rawItems.Items[0][k]; !ok {
				t.Errorf("inbox item lacks %s", k)
			}
		}

		read := fmt.Sprintf("/api/v1/me/inbox/%d/read", internalID)
		e.Call("observer", "POST", read, "", 204)
		e.Call("observer", "POST", read, `{}`, 204) // the first opening counts; again is no error
		box = apptest.Decode[notices.Inbox](t, e.Call("observer", "GET", "/api/v1/me/inbox", "", 200))
		if box.Unread != 0 || !box.Items[0].Read || box.Items[0].ReadAt == nil {
			t.Errorf("after reading: %+v", box)
		}
		if l := apptest.Decode[notices.Inbox](t, e.Call("liaison", "GET", "/api/v1/me/inbox", "", 200)); l.Unread != 1 {
			t.Errorf("the liaison's inbox %+v", l)
		}
		if ed := e.Call("editor", "GET", "/api/v1/me/inbox", "", 200).Body; !strings.Contains(ed, `"items":[]`) {
			t.Errorf("the editor's inbox %s", ed)
		}
		e.Call("editor", "POST", read, "", 404)
		e.Call("observer", "POST", fmt.Sprintf("/api/v1/me/inbox/%d/read", publicID), "", 404)
		e.Call(apptest.Anonymous, "GET", "/api/v1/me/inbox", "", 401)

		receipts, err := e.Store.Deliveries().Receipts(context.Background(), internalID)
		if err != nil || len(receipts) != 2 {
			t.Fatalf("receipts %v %+v", err, receipts)
		}
		for _, r := range receipts {
			if (r.UserID == e.Users["observer"].ID) == r.ReadAt.IsZero() {
				t.Errorf("receipt %+v", r)
			}
		}
	})
}
