package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/httpsec"
)

// TestPolicyWatchSeesRefusals shows that the harness's watch (watchPolicy)
// would catch a page that breaks the policy: a page served with it that
// carries an inline script and a style attribute is reported, and the
// script does not run.
func TestPolicyWatchSeesRefusals(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpsec.SetPage(w.Header())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>before</title><p style="color:red">x</p><script>document.title = "ran"</script>`))
	}))
	defer srv.Close()
	browser := newBrowser(t, findChromium(t))
	ctx, cancel := context.WithTimeout(browser, browserTimeout)
	defer cancel()
	refused, err := policyRefusals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "before" {
		t.Errorf("the inline script ran: title %q", title)
	}
	// The log entries may trail the page load a little.
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = refused(); len(got) >= 2 {
			break
		}
	}
	if len(got) < 2 || !strings.Contains(strings.Join(got, "\n"), "script") {
		t.Errorf("refusals seen: %q, want the inline script and the style attribute", got)
	}
}
