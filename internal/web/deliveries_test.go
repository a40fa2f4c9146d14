package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/notice"
)

// The notice page shows each channel's progress and failures, refreshes
// itself while anything is pending, masks addresses from those who may not
// see personal data, and lets those who may retry the failures.
func TestNoticeDeliveries(t *testing.T) {
	t.Parallel()
	e := newDeskEnv(t)
	w := e.world()
	e.addSubscribers(channel.Email, "alice@example.org", "bob@example.org", "carol@example.org")
	e.addSubscribers(channel.SMS, "+85291234567")
	n := e.publishAndFanout(w, sampleNotice(w.crisis.ID))
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	fragment := page + "/deliveries"

	// Alice's mail goes, Bob's is refused for good, Carol's server is
	// down for now; the SMS is still queued.
	later := time.Now().Add(time.Hour)
	e.settleDeliveries(n.ID, channel.Email, func(addr string) delivery.Outcome {
		switch addr {
		case "bob@example.org":
			return delivery.Outcome{State: delivery.GaveUp, Error: "550 mailbox unavailable"}
		case "carol@example.org":
			return delivery.Outcome{State: delivery.Failed, Error: "451 try again later", Next: later}
		}
		return delivery.Outcome{State: delivery.Sent}
	})

	c := e.clientsFor(authz.Editor, authz.Admin, authz.Approver, authz.Liaison)

	// An editor sees the counts and the failures, addresses masked, and
	// no retry button; the section polls.
	res := c[authz.Editor].get(page)
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="notice-deliveries"`, `hx-trigger="every 2s"`, `id="progress-email" max="3" value="2"`,
		`id="deliveries-email-sent">1<`, `id="deliveries-email-failed">1<`, `id="deliveries-email-gave-up">1<`,
		`id="deliveries-sms-queued">1<`, "b•••@example.org", "550 mailbox unavailable", "c•••@example.org", "451 try again later")
	for _, hidden := range []string{"bob@example.org", "carol@example.org", `id="retry-email"`} {
		if strings.Contains(res.Body, hidden) {
			t.Errorf("the editor's page shows %q", hidden)
		}
	}
	// The admin may see personal data.
	wantBody(t, c[authz.Admin].get(page), "bob@example.org", "carol@example.org", `id="retry-email"`)
	// A liaison may not see deliveries at all.
	res = c[authz.Liaison].get(page)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="notice-deliveries"`) {
		t.Error("a liaison sees the delivery section")
	}
	wantStatus(t, c[authz.Liaison].get(fragment), http.StatusForbidden)
	wantStatus(t, c[authz.Editor].post(page+"/retry", url.Values{"channel": {"email"}}), http.StatusForbidden)

	// The approver retries the e-mail failures without script: a redirect
	// to the page, which says how many were queued.
	approver := c[authz.Approver]
	res = approver.post(page+"/retry", url.Values{"channel": {"email"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantBody(t, approver.get(res.location()), `id="retry-result"`, "2 E-mail deliveries are queued again.")
	res = approver.get(fragment)
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="deliveries-email-queued">2<`, `id="deliveries-email-failed">0<`, `hx-trigger="every 2s"`)
	if strings.Contains(res.Body, "<html") {
		t.Error("the fragment is a whole page")
	}
	// Nothing is left: with script, the section comes back saying so.
	res = approver.scripted(http.MethodPost, page+"/retry", "channel=email")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="notice-deliveries"`, "Nothing is left to retry on E-mail")
	if strings.Contains(res.Body, "<html") {
		t.Error("the retry answer to script is a whole page")
	}
	wantStatus(t, approver.post(page+"/retry", url.Values{"channel": {"fax"}}), http.StatusBadRequest)

	// Once everything is sent, the section stops polling.
	e.settleDeliveries(n.ID, channel.Email, func(string) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })
	e.settleDeliveries(n.ID, channel.SMS, func(string) delivery.Outcome { return delivery.Outcome{State: delivery.Sent} })
	res = approver.get(fragment)
	wantBody(t, res, `id="deliveries-email-sent">3<`, `id="deliveries-sms-sent">1<`)
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
	e := newDeskEnv(t)
	w := e.world()
	d, err := e.st.Notices().Create(context.Background(), as(w.editor), sampleNotice(w.crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	boss, _ := e.signedIn("boss", authz.Commander)
	res := boss.get(fmt.Sprintf("/desk/notices/%d", d.ID))
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="notice-deliveries"`) {
		t.Error("a draft shows a delivery section")
	}
	wantStatus(t, boss.get(fmt.Sprintf("/desk/notices/%d/deliveries", d.ID)), http.StatusNotFound)
	wantStatus(t, boss.get("/desk/notices/999999/deliveries"), http.StatusNotFound)
}

// internalBriefing is an internal notice to the observers and liaisons.
func internalBriefing(crisisID int64) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Update, Audience: notice.Internal,
		Roles:    []authz.Role{authz.Observer, authz.Liaison},
		Contents: []notice.Content{{Language: "en", Headline: "Staff briefing at 18:00", Body: "Room 3."}}}
}
