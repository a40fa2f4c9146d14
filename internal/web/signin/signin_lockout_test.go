package signin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/fault"
)

// The finding, end to end: strangers at many addresses fail to sign in as
// the commander. The commander still signs in with the right password
// (after the capped wait), is warned on the dashboard and sees every
// attempt on the list page.
func TestLockoutAttemptFromOtherAddresses(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	e := apptest.New(t, apptest.Options{Clock: clk})
	c, chief := e.SignedIn("chief", authz.Commander)
	c.PostForm("/signout", nil)
	clk.Advance(time.Minute)

	const attackers, each = 8, account.MaxFailuresPerAccountAddress - 1
	for i := range attackers {
		for range each {
			_, err := e.Store.Accounts().SignIn(context.Background(), "chief", "guess",
				account.Client{Address: fmt.Sprintf("198.51.100.%d", i+1), UserAgent: "curl/8.5.0"})
			if !fault.Is(err, fault.Unauthenticated) {
				t.Fatalf("attacker %d: %v", i, err)
			}
		}
	}
	// From a browser crisisdesk has not seen, the commander waits the
	// capped delay and is let in, and is told what happened.
	fresh := e.Browser()
	before := len(clk.Slept())
	if home := fresh.SignInWithCode("chief", apptest.Password, e.Factor(chief)); home.Location() != "/desk" {
		t.Fatalf("the commander signed in to %q", home.Location())
	}
	if slept := clk.Slept()[before:]; len(slept) != 1 || slept[0] != account.MaxDelay {
		t.Errorf("the commander waited %v, want one wait of %v", slept, account.MaxDelay)
	}
	desk := fresh.Get("/desk")
	apptest.WantStatus(t, desk, http.StatusOK)
	apptest.WantBody(t, desk, `id="failed-signins"`, fmt.Sprintf("%d failed sign-in attempts since your last sign-in.", attackers*each),
		`href="/desk/account/signins"`)
	list := fresh.Get("/desk/account/signins")
	apptest.WantStatus(t, list, http.StatusOK)
	apptest.WantBody(t, list, fmt.Sprintf("%d failed attempts since your previous sign-in", attackers*each),
		fmt.Sprintf("<code>198.51.100.%d</code>", attackers), "curl · other", `id="pager-next"`)
	if n := strings.Count(list.Body, `<tr class="new">`); n != 25 {
		t.Errorf("%d rows marked new on the first page, want 25", n)
	}

	// From the browser they used before, without waiting at all; and
	// nothing has failed since the sign-in just before.
	clk.Advance(time.Minute)
	before = len(clk.Slept())
	c.SignInWithCode("chief", apptest.Password, e.Factor(chief))
	if slept := clk.Slept()[before:]; len(slept) != 0 {
		t.Errorf("the known browser waited %v", slept)
	}
	if body := c.Get("/desk").Body; strings.Contains(body, `id="failed-signins"`) {
		t.Error("the warning counts failures from before the previous sign-in")
	}
	// Another user sees none of it.
	other, _ := e.SignedIn("ed", authz.Editor)
	if body := other.Get("/desk/account/signins").Body; !strings.Contains(body, `id="signins-empty"`) {
		t.Error("another user sees the commander's failed sign-ins")
	}
	if body := other.Get("/desk").Body; strings.Contains(body, `id="failed-signins"`) {
		t.Error("another user is warned of the commander's failed sign-ins")
	}
}
