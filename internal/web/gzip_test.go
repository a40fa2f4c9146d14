package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// The staff pages, style sheet and script are gzip-compressed for a
// client that takes it, like the public site, and plain for one that
// does not.
func TestStaffResponsesAreCompressed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	page := c.Get("/desk")
	assets := regexp.MustCompile(`/static/[a-z]+\.[0-9a-f]{10}\.(?:css|js)`).FindAllString(page.Body, -1)
	if len(assets) < 2 {
		t.Fatalf("no style sheet and script linked from /desk:\n%s", page.Body)
	}
	for _, path := range append([]string{"/desk", "/desk/admin/office"}, assets...) {
		for _, gz := range []bool{true, false} {
			req, _ := http.NewRequest(http.MethodGet, c.Base+path, nil)
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			} else {
				req.Header.Set("Accept-Encoding", "identity")
			}
			res := c.Do(req)
			if res.Status != http.StatusOK || !strings.Contains(strings.Join(res.Header.Values("Vary"), ", "), "Accept-Encoding") {
				t.Errorf("%s: %d, Vary %q", path, res.Status, res.Header.Values("Vary"))
				continue
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != gz {
				t.Errorf("%s (gzip %v): Content-Encoding %q", path, gz, res.Header.Get("Content-Encoding"))
				continue
			}
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader([]byte(res.Body)))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if b, err := io.ReadAll(zr); err != nil || len(b) <= len(res.Body) {
					t.Errorf("%s: %d bytes from %d compressed, %v", path, len(b), len(res.Body), err)
				}
			}
		}
	}
}
