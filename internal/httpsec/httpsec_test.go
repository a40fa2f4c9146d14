package httpsec

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSetPage(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	SetPage(h)
	if h.Get("Content-Security-Policy") != ContentSecurityPolicy || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", h)
	}
	own := http.Header{"Content-Security-Policy": {"sandbox"}}
	SetPage(own)
	if own.Get("Content-Security-Policy") != "sandbox" || own.Get("X-Frame-Options") != "DENY" {
		t.Errorf("a handler's own policy was replaced: %v", own)
	}
	for _, directive := range []string{"script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'",
		"form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(ContentSecurityPolicy, directive+";") && !strings.HasSuffix(ContentSecurityPolicy, directive) {
			t.Errorf("the policy lacks %s", directive)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "unsafe") {
		t.Error("the policy allows something unsafe")
	}
}

// inline finds what the policy refuses in a template: a script element
// without src, an event handler attribute, a style attribute or element,
// a javascript: URL and htmx's eval-like hx-on attributes.
var inline = regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|<script(?:\s(?:[^>s]|s[^r]|sr[^c])*)?>|\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]|javascript:|\shx-on`)

// TestTemplatesHaveNothingInline scans every HTML template of the staff UI
// and the public site for what the policy would refuse, so that a page
// never breaks under it in a browser. The offline copy of a plan is a
// download with a policy of its own and is skipped.
func TestTemplatesHaveNothingInline(t *testing.T) {
	t.Parallel()
	scanned := 0
	for _, dir := range []string{"../web", "../public/templates"} { // the kit and every room
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") || filepath.Base(path) == "plan_offline.html" {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			scanned++
			for _, m := range inline.FindAllIndex(b, -1) {
				line := 1 + strings.Count(string(b[:m[0]]), "\n")
				t.Errorf("%s:%d: %q is refused by the Content-Security-Policy: move it to a static file", path, line, b[m[0]:m[1]])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if scanned < 30 {
		t.Fatalf("scanned only %d templates", scanned)
	}
}

func TestInlinePattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		html string
		bad  bool
	}{
		{`<script src="/static/app.js" defer></script>`, false},
		{`<script>alert(1)</script>`, true},
		{`<script type="module">x()</script>`, true},
		{`<button onclick="go()">`, true},
		{`<p style="color:red">`, true},
		{`<style>p{}</style>`, true},
		{`<a href="javascript:void(0)">`, true},
		{`<form hx-on::after-request="x">`, true},
		{`<input data-confirm="Sure?" hx-post="/x">`, false},
		{`<link rel="stylesheet" href="/a.css">`, false},
		{`<p class="online">`, false},
	} {
		if got := inline.MatchString(tc.html); got != tc.bad {
			t.Errorf("%s: matched %v, want %v", tc.html, got, tc.bad)
		}
	}
}
