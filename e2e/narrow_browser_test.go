package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
)

// TestBrowserCrisisRoomOnAPhone opens an activated crisis room, and the
// declaration form and dashboard, 390 px wide (a phone held upright): no
// page scrolls sideways, measured as the document's scrollWidth against
// its clientWidth.
func TestBrowserCrisisRoomOnAPhone(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	actors := officeUsers(t, a, "phone-")
	pl := officeFor(t, a)
	ctx := context.Background()
	boss := actors["commander"]
	c, err := a.Store.Crises().Declare(ctx, boss, crisis.Declaration{Title: "Typhoon Koinu over the outlying islands and the harbour",
		TypeID: pl.TypeID, Level: catalog.LevelII, Location: "Harbour district, Lamma Island and Cheung Chau",
		OccurredAt: time.Now().Add(-40 * time.Minute), Summary: strings.Repeat("Signal 8 is hoisted; ferries are suspended. ", 8)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Crises().Activate(ctx, boss, c.ID, pl.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Crises().AddNote(ctx, boss, c.ID, "https://example.org/a/very/long/address/that/does/not/break/"+strings.Repeat("x", 80), nil); err != nil {
		t.Fatal(err)
	}

	p := openPage(t, newBrowser(t, chromium))
	p.do("hold the phone upright", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	p.signIn(base, "phone-commander", crisisPassword)
	for _, tc := range []struct{ name, path, ready string }{
		{"the crisis room", fmt.Sprintf("/desk/crises/%d", c.ID), "#crisis-tasks .task"},
		{"the dashboard", "/desk", "#waiting"},
		{"the declaration form", "/desk/crises/new", "#declare-form"},
	} {
		p.do("open "+tc.name, chromedp.Navigate(base+tc.path), chromedp.WaitVisible(chromedp.CSS(tc.ready)))
		widths, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]int](
			`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatalf("%s: measure: %v", tc.name, err)
		}
		if len(widths) != 2 || widths[1] == 0 || widths[1] > 390 {
			t.Fatalf("%s: measured %v at 390 px", tc.name, widths)
		}
		if widths[0] > widths[1] {
			wide, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("body *")).
				filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).
				slice(0, 8).map(e => e.tagName + (e.id ? "#" + e.id : "") + "." + e.className)`))
			t.Errorf("%s scrolls sideways at 390 px: scrollWidth %d > clientWidth %d; too wide: %v", tc.name, widths[0], widths[1], wide)
		}
	}
}
