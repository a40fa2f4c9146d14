package e2e

import (
	"strconv"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/store/storetest"
)

// factors are the second factors the tests set up, by app and user name,
// standing in for the people's authenticator apps.
var factors sync.Map // "http://ADDR|name" → *storetest.TOTP

// enrolFactor sets up a second factor for u, as the enrolment page does,
// for page.signIn to give codes from.
func enrolFactor(t *testing.T, a *app.App, u account.User) *storetest.TOTP {
	t.Helper()
	f := storetest.EnrolTOTP(t, a.Store, u)
	factors.Store("http://"+a.Addr()+"|"+u.Name, f)
	return f
}

// factorOf returns the second factor of name on the app at base, or nil.
func factorOf(base, name string) *storetest.TOTP {
	f, ok := factors.Load(base + "|" + name)
	if !ok {
		return nil
	}
	return f.(*storetest.TOTP)
}

// url returns the page's whole URL.
func (p *page) url() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.t.Fatalf("location: %v", err)
	}
	return loc
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
