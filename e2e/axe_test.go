package e2e

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/testenv"
)

// axePath is where scripts/install-axe.sh puts axe-core's npm package,
// relative to this package's directory (where go test runs).
const axePath = "testdata/axe/node_modules/axe-core/axe.min.js"

// axeTags are the rule sets run: WCAG 2.0, 2.1 and 2.2 at levels A and
// AA, and the best practices that hold a page to one h1, headings in
// order and content in landmarks.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

var (
	axeOnce   sync.Once
	axeSource []byte
)

// axeScript returns axe-core's source, read once. Without it the test
// skips on a developer machine and fails under CI, as for Chromium.
func axeScript(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() { axeSource, _ = os.ReadFile(axePath) })
	if axeSource == nil {
		testenv.File(t, axePath, "axe-core", "run scripts/install-axe.sh")
	}
	return string(axeSource)
}

// axeViolation is one rule axe-core found broken, with the elements that
// break it.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  []any  `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"failureSummary"`
}

// String lays a violation out for a person: the rule, what it asks, and
// each offending element with axe's reason.
func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		html := n.HTML
		if len(html) > 160 {
			html = html[:160] + "…"
		}
		fmt.Fprintf(&b, "\n    at %v: %s\n      %s", n.Target, html, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// axeCheck runs axe-core on the page as it is now (axeViolations) and
// fails the test, without stopping it, for each violation; what names the
// page in the messages.
func (p *page) axeCheck(what string) {
	p.t.Helper()
	for _, v := range p.axeViolations(what) {
		p.t.Errorf("axe-core on %s: %s", what, v)
	}
}

// axeViolations runs axe-core on the page as it is now, with the WCAG 2.2
// A and AA rules, and returns what it finds. The script is given through
// the DevTools protocol, so the page's Content-Security-Policy and its own
// (lack of) JavaScript do not matter.
func (p *page) axeViolations(what string) []axeViolation {
	p.t.Helper()
	src := axeScript(p.t)
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	loaded, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !loaded {
		err = chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined"))
	}
	if err != nil {
		p.t.Fatalf("load axe-core into %s: %v", what, err)
	}
	run := `(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]});
		return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ""}))}));
	})()`
	vs, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("axe-core on %s: %v", what, err)
	}
	return vs
}

// TestAxeFindsViolations proves the checker is awake: on a page built to
// break three rules it reports each of them, and on a clean page none.
func TestAxeFindsViolations(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	axeScript(t)
	p := openPage(t, newBrowser(t, chromium))
	const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main>`
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"clean", `<h1>Fine</h1><p>Readable text.</p>`, nil},
		{"broken", `<h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#aaa;background:#fff">faint</p><input type="text">`,
			[]string{"color-contrast", "image-alt", "label"}},
	} {
		p.do("open the "+tc.name+" page", chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(head+tc.body+"</main></body></html>")))
		var got []string
		for _, v := range p.axeViolations(tc.name) {
			got = append(got, v.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s page: axe-core found %v, want %v", tc.name, got, tc.want)
		}
	}
}
