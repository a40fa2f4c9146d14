package desk_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// An internal notice reaches the chosen roles' inboxes, unread and counted
// in the menu; opening it records the read receipt, which the notice page
// lists for those who may see deliveries.
func TestInboxReadReceipt(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	w := e.World()
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	contact, _ := e.SignedIn("contact", authz.Liaison)
	boss, _ := e.SignedIn("boss", authz.Commander)
	n := e.PublishAndFanout(w, apptest.InternalBriefing(w.Crisis.ID))
	page := fmt.Sprintf("/desk/notices/%d", n.ID)

	res := watcher.Get("/desk/inbox")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="nav-inbox-count" aria-hidden="true">1<`, "1 unread notice",
		fmt.Sprintf(`<strong><a href="%s">Staff briefing at 18:00</a></strong>`, page), "Not read yet")

	// The commander is not among the recipients: an empty inbox.
	res = boss.Get("/desk/inbox")
	apptest.WantBody(t, res, `id="inbox-empty"`)
	if strings.Contains(res.Body, `id="nav-inbox-count"`) {
		t.Error("a user with nothing unread has an inbox badge")
	}
	res = boss.Get(page)
	apptest.WantBody(t, res, `id="receipts"`, "Nobody has read it yet.", `<ul class="plain" id="receipts-unread"><li>contact</li><li>watcher</li></ul>`)

	// The watcher opens the notice: read, no badge, and the receipt shows.
	apptest.WantStatus(t, watcher.Get(page), http.StatusOK)
	res = watcher.Get("/desk/inbox")
	if strings.Contains(res.Body, `id="nav-inbox-count"`) || strings.Contains(res.Body, "<strong><a") {
		t.Errorf("the notice is still unread after opening it\n%s", apptest.Snippet(res.Body))
	}
	res = boss.Get(page)
	apptest.WantBody(t, res, `id="receipts-read"><li>watcher · <time`, `id="receipts-unread"><li>contact</li></ul>`)
	// An observer may see deliveries (and so the receipts) but a liaison
	// may not; opening the notice reads it all the same.
	apptest.WantBody(t, watcher.Get(page), `id="receipts"`)
	apptest.WantBody(t, contact.Get("/desk/inbox"), `id="nav-inbox-count" aria-hidden="true">1<`)
	if strings.Contains(contact.Get(page).Body, `id="receipts"`) {
		t.Error("a liaison sees the read receipts")
	}
	if strings.Contains(contact.Get("/desk/inbox").Body, `id="nav-inbox-count"`) {
		t.Error("the liaison's notice is still unread after opening it")
	}
	apptest.WantBody(t, boss.Get(page), "Everyone has read it.")
}
