package notices_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
)

// The notice page shows each channel's progress and failures, refreshes
// itself while anything is pending, masks addresses from those who may not
// see personal data, and lets those who may retry the failures.
func TestNoticeDeliveries(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	w := e.World()
	e.AddSubscribers(channel.Email, "alice@example.org", "bob@example.org", "carol@example.org")
	e.AddSubscribers(channel.SMS, "+85291234567")
	n := e.PublishAndFanout(w, apptest.SampleNotice(w.Crisis.ID))
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	fragment := page + "/deliveries"

	// Alice's mail goes, Bob's is refused for good, Carol's server is
	// down for now; the SMS is still queued.
	later := time.Now().Add(time.Hour)
	e.SettleDeliveries(n.ID, channel.Email, func(addr string) delivery.Outcome {
		switch addr {
		case "bob@example.org":
			return delivery.Outcome{State: delivery.GaveUp, Error: "550 mailbox unavailable"}
		case "carol@example.org":
			return delivery.Outcome{State: delivery.Failed, Error: "451 try again later", Next: later}
		}
		return delivery.Outcome{State: delivery.Sent}
	})

	c := e.ClientsFor(authz.Editor, authz.Admin, authz.Approver, authz.Liaison)

	// An editor sees the counts and the failures, addresses masked, and
	// no retry button; the section polls.
	res := c[authz.Editor].Get(page)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notice-deliveries"`, `hx-trigger="every 2s"`, `id="progress-email" max="3" value="2"`,
		`id="deliveries-email-sent">1<`, `id="deliveries-email-failed">1<`, `id="deliveries-email-gave-up">1<`,
		`id="deliveries-sms-queued">1<`, "b•••@example.org", "550 mailbox unavailable", "c•••@example.org", "451 try again later")
	for _, hidden := range []string{"bob@example.org", "carol@example.org", `id="retry-email"`} {
		if strings.Contains(res.Body, hidden) {
			t.Errorf("the editor's page shows %q", hidden)
		}
	}
	// The admin may see personal data.
	apptest.WantBody(t, c[authz.Admin].Get(page), "bob@example.org", "carol@example.org", `id="retry-email"`)
	// A liaison may not see deliveries at all.
	res = c[authz.Liaison].Get(page)
	apptest.WantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="notice-deliveries"`) {
		t.Error("a liaison sees the delivery section")
	}
	apptest.WantStatus(t, c[authz.Liaison].Get(fragment), http.StatusForbidden)
	apptest.WantStatus(t, c[authz.Editor].PostForm(page+"/retry", url.Values{"channel": {"email"}}), http.StatusForbidden)

	// The approver retries the e-mail failures without script: a redirect
	// to the page, which says how many were queued.
	approver := c[authz.Approver]
	res = approver.PostForm(page+"/retry", url.Values{"channel": {"email"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, approver.Get(res.Location()), `id="retry-result"`, "2 E-mail deliveries are queued again.")
	res = approver.Get(fragment)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="deliveries-email-queued">2<`, `id="deliveries-email-failed">0<`, `hx-trigger="every 2s"`)
	if strings.Contains(res.Body, "<html") {
		t.Error("the fragment is a whole page")
	}
	// Nothing is left: with script, the section comes back saying so.
	res = approver.Scripted(http.MethodPost, page+"/retry", url.Values{"channel": {"email"}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notice-deliveries"`, "Nothing is left to retry on E-mail")
	if strings.Contains(res.Body, "<html") {
		t.Error("the retry answer to script is a whole page")
	}
	apptest.WantStatus(t, approver.PostForm(page+"/retry", url.Values{"channel": {"fax"}}), http.StatusBadRequest)

	// Once everything is sent, the section stops polling.
	e.SettleDeliveries(n.ID, channel.Email, func(string) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })
	e.SettleDeliveries(n.ID, channel.SMS, func(string) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })
	res = approver.Get(fragment)
	apptest.WantBody(t, res, `id="deliveries-email-sent">3<`, `id="deliveries-sms-sent">1<`)
	if strings.Contains(res.Body, "hx-trigger") {
		t.Error("the section keeps polling when every delivery is done")
	}
	if strings.Contains(res.Body, `id="retry-email"`) {
		t.Error("a retry button is offered with nothing to retry")
	}
}

// A draft has no delivery section and no fragment.
func TestDraftHasNoDeliveries(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	w := e.World()
	d, err := e.Store.Notices().Create(context.Background(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	boss, _ := e.SignedIn("boss", authz.Commander)
	res := boss.Get(fmt.Sprintf("/desk/notices/%d", d.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="notice-deliveries"`) {
		t.Error("a draft shows a delivery section")
	}
	apptest.WantStatus(t, boss.Get(fmt.Sprintf("/desk/notices/%d/deliveries", d.ID)), http.StatusNotFound)
	apptest.WantStatus(t, boss.Get("/desk/notices/999999/deliveries"), http.StatusNotFound)
}
