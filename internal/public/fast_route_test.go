package public

import (
	"strings"
	"testing"
)

// Every route of the table is found by the fast path's matcher, so that a
// route added to the table without a case there shows here rather than as
// a quietly slower page.
func TestMatchFastKnowsEveryRoute(t *testing.T) {
	for _, rt := range (&Site{}).table() {
		path := strings.NewReplacer("{$}", "", "{id}", "7", "{file}", "site.css").Replace(rt.pattern)
		pattern, id := matchFast(path)
		if pattern != rt.pattern {
			t.Errorf("%s (%s): matched %q", path, rt.pattern, pattern)
		}
		if strings.Contains(rt.pattern, "{id}") != (id == "7") {
			t.Errorf("%s: id %q", path, id)
		}
	}
	for _, path := range []string{"/notices/7/", "/notices/07", "/crises/7/cap.xml", "/public/", "/public/a/b", "/feed.atom/", ""} {
		if pattern, _ := matchFast(path); pattern != "" {
			t.Errorf("%q matched %q, want nothing", path, pattern)
		}
	}
}
