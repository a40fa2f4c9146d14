package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
)

// An internal notice reaches the chosen roles' inboxes, unread and counted
// in the menu; opening it records the read receipt, which the notice page
// lists for those who may see deliveries.
func TestInboxReadReceipt(t *testing.T) {
	t.Parallel()
	e := newDeskEnv(t)
	w := e.world()
	watcher, _ := e.signedIn("watcher", authz.Observer)
	contact, _ := e.signedIn("contact", authz.Liaison)
	boss, _ := e.signedIn("boss", authz.Commander)
	n := e.publishAndFanout(w, internalBriefing(w.crisis.ID))
	page := fmt.Sprintf("/desk/notices/%d", n.ID)

	res := watcher.get("/desk/inbox")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="nav-inbox-count" aria-hidden="true">1<`, "1 unread notice",
		fmt.Sprintf(`<strong><a href="%s">Staff briefing at 18:00</a></strong>`, page), "Not read yet")

	// The commander is not among the recipients: an empty inbox.
	res = boss.get("/desk/inbox")
	wantBody(t, res, `id="inbox-empty"`)
	if strings.Contains(res.Body, `id="nav-inbox-count"`) {
		t.Error("a user with nothing unread has an inbox badge")
	}
	res = boss.get(page)
	wantBody(t, res, `id="receipts"`, "Nobody has read it yet.", `<ul class="plain" id="receipts-unread"><li>contact</li><li>watcher</li></ul>`)

	// The watcher opens the notice: read, no badge, and the receipt shows.
	wantStatus(t, watcher.get(page), http.StatusOK)
	res = watcher.get("/desk/inbox")
	if strings.Contains(res.Body, `id="nav-inbox-count"`) || strings.Contains(res.Body, "<strong><a") {
		t.Errorf("the notice is still unread after opening it\n%s", snippet(res.Body))
	}
	res = boss.get(page)
	wantBody(t, res, `id="receipts-read"><li>watcher · <time`, `id="receipts-unread"><li>contact</li></ul>`)
	// An observer may see deliveries (and so the receipts) but a liaison
	// may not; opening the notice reads it all the same.
	wantBody(t, watcher.get(page), `id="receipts"`)
	wantBody(t, contact.get("/desk/inbox"), `id="nav-inbox-count" aria-hidden="true">1<`)
	if strings.Contains(contact.get(page).Body, `id="receipts"`) {
		t.Error("a liaison sees the read receipts")
	}
	if strings.Contains(contact.get("/desk/inbox").Body, `id="nav-inbox-count"`) {
		t.Error("the liaison's notice is still unread after opening it")
	}
	wantBody(t, boss.get(page), "Everyone has read it.")
}
