package public_test

import (
	"strings"
	"testing"

	"crisisdesk/internal/fastpath"
	"crisisdesk/internal/httpsec"
)

// TestPagesCarryTheSecurityPolicy checks the Content-Security-Policy and
// X-Frame-Options of every kind of public page, through net/http and on
// the fast path, and that documents which are not pages go without.
func TestPagesCarryTheSecurityPolicy(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, p := range []string{"/", path("/notices/%d", s.original.ID), path("/crises/%d", s.crisis.ID), "/subscribe",
		"/notices/999999", "/?lang=en"} {
		res := s.get(p)
		if got := res.header.Get("Content-Security-Policy"); got != httpsec.ContentSecurityPolicy {
			t.Errorf("%s (%d): Content-Security-Policy %q", p, res.status, got)
		}
		if got := res.header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s (%d): X-Frame-Options %q", p, res.status, got)
		}
	}
	for _, p := range []string{"/feed.atom", "/cap.atom", path("/notices/%d/cap.xml", s.original.ID)} {
		if res := s.get(p); res.header.Get("Content-Security-Policy") != "" || res.status != 200 {
			t.Errorf("%s (%d): a document that is not a page has a page's policy", p, res.status)
		}
	}
	resp := fastpath.Response{Header: make([]byte, 0, 1024)}
	if !s.pub.Respond(&fastpath.Request{Path: "/", AcceptLanguage: "en"}, &resp) {
		t.Fatal("the fast path did not answer /")
	}
	head := string(resp.Header)
	if !strings.Contains(head, "Content-Security-Policy: "+httpsec.ContentSecurityPolicy+"\r\n") || !strings.Contains(head, "X-Frame-Options: DENY\r\n") {
		t.Errorf("fast path header:\n%s", head)
	}
}
