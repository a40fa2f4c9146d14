package web

import (
	"net/http"
	"strings"

	"crisisdesk/internal/web/crises"
	"crisisdesk/internal/web/desk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/plans"
)

// moved are the staff pages' former paths, from before every staff URL
// lived under /desk (the public site has the rest). Bookmarks and old
// e-mails keep working: each path under from answers a permanent
// redirect to the same path under to, query kept.
var moved = []struct {
	from, to string
	tree     bool // the paths below from too, not from alone
}{
	{"/plans", plans.Path, true},
	{"/catalog", plans.CatalogPath, true},
	{"/admin", kit.DeskPath + "/admin", true},
	{"/account", kit.DeskPath + "/account", true},
	{"/tasks", crises.TasksPath, true},
	{"/alerts/read", desk.AlertsReadPath, false},
}

// registerMoved mounts the redirects of moved on mux, for every method.
func registerMoved(mux *http.ServeMux) {
	for _, m := range moved {
		h := redirectMoved(m.from, m.to)
		mux.Handle(m.from, h)
		if m.tree {
			mux.Handle(m.from+"/{rest...}", h)
		}
	}
}

// redirectMoved answers a request under from with the same path under to:
// 301 Moved Permanently for GET and HEAD, 308 Permanent Redirect for
// anything else, which a browser repeats with the same method and body.
func redirectMoved(from, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		target := to + strings.TrimPrefix(r.URL.EscapedPath(), from)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		status := http.StatusPermanentRedirect
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			status = http.StatusMovedPermanently
		}
		http.Redirect(w, r, target, status)
	}
}
