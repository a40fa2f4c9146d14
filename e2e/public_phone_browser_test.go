package e2e

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/app"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// layoutProblems lists, in the page, what a reader on a phone would
// trip on: a page wider than the screen, not exactly one h1, a heading
// that skips a level, a form control or button smaller than 24 px, an
// image (the map included) wider than the screen.
const layoutProblems = `(() => {
  const out = [];
  const w = window.innerWidth;
  if (document.documentElement.scrollWidth > w) out.push("page " + document.documentElement.scrollWidth + "px wide on a " + w + "px screen");
  const hs = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")];
  if (hs.filter(h => h.tagName === "H1").length !== 1) out.push(hs.filter(h => h.tagName === "H1").length + " h1");
  let level = 0;
  for (const h of hs) {
    const l = +h.tagName[1];
    if (level && l > level + 1) out.push("h" + l + " after h" + level + ": " + h.textContent.trim().slice(0, 40));
    level = l;
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]),select,button,textarea")) {
    const r = el.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) out.push(el.tagName + (el.name ? "[" + el.name + "]" : "") + " " + Math.round(r.width) + "x" + Math.round(r.height));
  }
  for (const el of document.querySelectorAll("svg,img")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1) out.push(el.tagName + " reaches " + Math.round(r.right) + "px");
  }
  return out;
})()`

// On a 390 px phone, in each language, the public home, a notice with a
// correction and a map, the subscribe form and the exercises fit the screen, have one
// h1 and no skipped heading, and controls at least 24 px.
func TestBrowserPublicPagesOnAPhone(t *testing.T) {
	t.Parallel()
	execPath := findChromium(t)
	base, a := bootApp(t, app.Options{})
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Store, a.Store.Clock().Now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	ns, _, err := a.Store.Notices().List(ctx, notice.Filter{Status: notice.Published, Kind: notice.Correction})
	if err != nil || len(ns) == 0 {
		t.Fatalf("demo correction: %v %v", ns, err)
	}
	a.Public.Invalidate(ctx)
	correction := fmt.Sprintf("/notices/%d", ns[0].ID)
	browser := newBrowser(t, execPath, chromedp.WindowSize(390, 844))
	p := openPage(t, browser)
	for _, lang := range i18n.Languages {
		for _, path := range []string{"/", correction, "/subscribe", "/exercises"} {
			url := base + path + "?lang=" + lang
			p.do("open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main h1")))
			problems, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](layoutProblems))
			if err != nil {
				t.Fatalf("%s: %v", url, err)
			}
			for _, pr := range problems {
				t.Errorf("%s: %s", url, pr)
			}
			if path == correction {
				if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("figure.area-map svg path").length`)); err != nil || n == 0 {
					t.Errorf("%s: no map (%v)", url, err)
				}
			}
		}
	}
}
