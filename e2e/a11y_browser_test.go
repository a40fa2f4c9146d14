package e2e

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/config"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// a11yWidths are the window widths every page is checked at: a desktop
// and a 390 px phone.
var a11yWidths = []int64{1280, 390}

// a11yOffice is the demo office with the pages the accessibility test
// visits.
type a11yOffice struct {
	typhoon   crisis.Crisis // active, its first notice corrected
	corrected notice.Notice // the typhoon's first notice
	approved  notice.Notice // approved, waiting to be published
	exercise  notice.Notice // a published exercise notice
	plan      int64
	someUser  int64 // a user for the admin's edit page
}

// loadA11yOffice loads the demo into a, adds an exercise with a published
// notice and a notice approved but not yet published, and makes one
// commander per language.
func loadA11yOffice(t *testing.T, a *app.App) a11yOffice {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Store, time.Now(), io.Discard); err != nil {
		t.Fatalf("demo: %v", err)
	}
	actors := officeUsers(t, a, "a11y-")
	sys := authz.System(authz.SourceCLI, "e2e")
	for _, lang := range i18n.Languages {
		for _, role := range []authz.Role{authz.Commander, authz.Admin} {
			name := "a11y-" + strings.ToLower(lang)
			if role == authz.Admin {
				name += "-admin"
			}
			u, err := a.Store.Accounts().CreateUser(ctx, sys, account.NewUser{Name: name, Role: role,
				Password: crisisPassword, Language: lang})
			if err != nil {
				t.Fatal(err)
			}
			enrolFactor(t, a, u)
		}
	}
	var o a11yOffice
	open, _, err := a.Store.Crises().List(ctx, crisis.Filter{Open: true, Limit: 10})
	if err != nil || len(open) != 1 {
		t.Fatalf("the demo's open crises: %d, %v", len(open), err)
	}
	o.typhoon = open[0]
	alerts, _, err := a.Store.Notices().List(ctx, notice.Filter{CrisisID: o.typhoon.ID, Kind: notice.Alert, Limit: 10})
	if err != nil || len(alerts) != 1 {
		t.Fatalf("the typhoon's alerts: %d, %v", len(alerts), err)
	}
	o.corrected = alerts[0]
	pl, err := a.Store.Plans().InForce(ctx, "typhoon")
	if err != nil {
		t.Fatal(err)
	}
	o.plan = pl.ID
	o.someUser = actors[authz.Editor].UserID

	ns := a.Store.Notices()
	draft := func(crisisID int64, headline string) notice.Notice {
		t.Helper()
		n, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{CrisisID: crisisID, Kind: notice.Update, Audience: notice.Public,
			Contents: []notice.Content{
				{Language: i18n.TraditionalChinese, Headline: "演練：" + headline, Body: "這是演練通告。"},
				{Language: i18n.English, Headline: "Exercise: " + headline, Body: "This is an exercise notice."},
			},
			CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
				Area: notice.Area{Description: "District 3"}}})
		if err == nil {
			n, err = ns.Submit(ctx, actors[authz.Editor], n.ID, "")
		}
		if err == nil {
			n, err = ns.Approve(ctx, actors[authz.Approver], n.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	o.approved = draft(o.typhoon.ID, "shelters open")

	cs := a.Store.Crises()
	ex, err := cs.Declare(ctx, actors[authz.Commander], crisis.Declaration{Title: "Typhoon drill", TypeID: pl.TypeID,
		Level: catalog.LevelIII, Location: "District 3", Exercise: true, OccurredAt: time.Now().Add(-time.Hour)})
	if err == nil {
		ex, err = cs.Activate(ctx, actors[authz.Commander], ex.ID, pl.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	o.exercise = draft(ex.ID, "sirens tested")
	if o.exercise, err = ns.Publish(ctx, actors[authz.Approver], o.exercise.ID); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestBrowserAccessible runs axe-core (WCAG 2.2 A and AA) on every public
// page and every staff page, in each language, on a desktop and on a
// 390 px phone, and fails on any violation.
func TestBrowserAccessible(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	axeScript(t)
	base, a := bootApp(t, app.Options{Config: config.Config{AdminPassword: "first-admin-password-1"}})
	o := loadA11yOffice(t, a)

	public := []string{
		"/",
		fmt.Sprintf("/crises/%d", o.typhoon.ID),
		fmt.Sprintf("/notices/%d", o.corrected.ID),
		"/subscribe",
		"/exercises",
		fmt.Sprintf("/notices/%d", o.exercise.ID),
	}
	staff := []string{
		"/desk",
		fmt.Sprintf("/desk/crises/%d", o.typhoon.ID),
		fmt.Sprintf("/desk/notices/new?crisis=%d", o.typhoon.ID),
		fmt.Sprintf("/desk/notices/%d", o.approved.ID),
		"/desk/notices",
		"/desk/plans",
		fmt.Sprintf("/desk/plans/%d", o.plan),
		"/desk/admin/users",
		"/desk/admin/audit",
		// The rest of what a commander reaches.
		"/desk/crises",
		"/desk/crises/new",
		fmt.Sprintf("/desk/notices/%d", o.corrected.ID),
		"/desk/notices/import",
		"/desk/plans/new",
		"/desk/catalog",
		"/desk/inbox",
		"/desk/subscribers",
		"/desk/webhooks",
		"/desk/account/password",
		"/desk/account/mfa",
		"/desk/account/signins",
	}
	admin := []string{
		"/desk/admin/users/new",
		fmt.Sprintf("/desk/admin/users/%d", o.someUser),
		"/desk/admin/departments",
		"/desk/admin/departments/new",
		"/desk/admin/channels",
	}
	// One browser per language, width and side, so that each stays well
	// within browserTimeout.
	for _, lang := range i18n.Languages {
		inLang := `html[lang="` + lang + `"] body`
		for _, width := range a11yWidths {
			// open starts a browser at the width; visit opens a path on it
			// and checks it; sel says the page is there, in lang where
			// the page can show it.
			open := func(t *testing.T) (p *page, visit func(path, sel string)) {
				p = openPage(t, newBrowser(t, chromium))
				p.do("set the width", chromedp.EmulateViewport(width, 900))
				return p, func(path, sel string) {
					t.Helper()
					p.do("open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS(sel)))
					p.axeCheck(path)
					// axe-core asks for an h1; a page has exactly one.
					if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("h1").length`)); err != nil || n != 1 {
						t.Errorf("%s has %d h1 elements (%v), want 1", path, n, err)
					}
				}
			}
			t.Run(fmt.Sprintf("%s/%dpx/public", lang, width), func(t *testing.T) {
				p, visit := open(t)
				for _, path := range public {
					visit(path+"?lang="+lang, inLang)
				}
				// The subscribe form sent empty comes back with its errors.
				p.do("open the subscribe form", chromedp.Navigate(base+"/subscribe?lang="+lang), chromedp.WaitReady(chromedp.CSS(inLang)))
				p.submit("send the subscribe form empty", lang, ".field-error",
					chromedp.Evaluate[chromedp.Void](`(f => { f.noValidate = true; f.requestSubmit(); })(document.querySelector("main form[method=post]"))`))
				p.axeCheck("/subscribe with errors")
			})
			t.Run(fmt.Sprintf("%s/%dpx/staff", lang, width), func(t *testing.T) {
				p, visit := open(t)
				visit("/signin", "#signin-form")
				p.signIn(base, "a11y-"+strings.ToLower(lang), crisisPassword)
				for _, path := range staff {
					visit(path, inLang)
					p.checkFocusRing(path)
				}
			})
			t.Run(fmt.Sprintf("%s/%dpx/admin", lang, width), func(t *testing.T) {
				p, visit := open(t)
				p.signIn(base, "a11y-"+strings.ToLower(lang)+"-admin", crisisPassword)
				for _, path := range admin {
					visit(path, inLang)
					p.checkFocusRing(path)
				}
			})
		}
	}
}

// checkFocusRing moves the keyboard focus to the first three things on the
// page, as the Tab key does, and fails unless each shows a solid outline
// at least 2 px wide with 3:1 contrast against what is around it (WCAG
// 2.2, 1.4.11 and 2.4.7).
func (p *page) checkFocusRing(what string) {
	p.t.Helper()
	type ring struct {
		Element string    `json:"element"`
		Style   string    `json:"style"`
		Width   float64   `json:"width"`
		Colour  []float64 `json:"colour"`
		Around  []float64 `json:"around"`
	}
	const probe = `(() => {
		const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
		const el = document.activeElement, cs = getComputedStyle(el);
		let around = [255, 255, 255, 0];
		for (let a = el.parentElement; a; a = a.parentElement) {
			const c = rgb(getComputedStyle(a).backgroundColor);
			if (c.length === 3 || (c.length === 4 && c[3] > 0)) { around = c; break; }
		}
		return {element: el.outerHTML.slice(0, 100), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0,
			colour: rgb(cs.outlineColor), around: around};
	})()`
	p.do("focus the page", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.focus()`))
	for i := range 3 {
		p.do("press Tab", chromedp.KeyEvent(kb.Tab))
		r, err := chromedp.Run(p.ctx, chromedp.Evaluate[ring](probe))
		if err != nil {
			p.t.Fatalf("focus ring on %s: %v", what, err)
		}
		if r.Style == "none" || r.Width < 2 || len(r.Colour) < 3 || len(r.Around) < 3 || contrast(r.Colour, r.Around) < 3 {
			p.t.Errorf("focus ring on %s, Tab %d, %s: outline %s %.1fpx rgb%v on rgb%v, want solid, 2 px or more, 3:1",
				what, i+1, r.Element, r.Style, r.Width, r.Colour, r.Around)
		}
	}
}

// contrast is the WCAG contrast ratio of two sRGB colours given as 0–255
// components.
func contrast(a, b []float64) float64 {
	lum := func(c []float64) float64 {
		lin := func(v float64) float64 {
			v /= 255
			if v <= 0.03928 {
				return v / 12.92
			}
			return math.Pow((v+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
	}
	x, y := lum(a), lum(b)
	if x < y {
		x, y = y, x
	}
	return (x + 0.05) / (y + 0.05)
}
