package kit

import (
	"net/http"

	"crisisdesk/internal/authz"
)

// Route is one row of a room's route table: what it serves, the access it
// needs, and who handles it. Build rows with Public, SignedIn and Need.
type Route struct {
	authz.Route
	Handle http.HandlerFunc
	// bare routes skip the chain (no session lookup): static files.
	bare bool
	// maxBody raises the body limit of a route that takes uploads.
	maxBody int64
}

// Public is a row anyone may use, signed in or not.
func Public(method, pattern string, fn http.HandlerFunc) Route {
	return Route{Route: authz.Route{Method: method, Pattern: pattern, Public: true}, Handle: fn}
}

// SignedIn is a row any signed-in user may use, whatever the role.
func SignedIn(method, pattern string, fn http.HandlerFunc) Route {
	return Route{Route: authz.Route{Method: method, Pattern: pattern, SignedIn: true}, Handle: fn}
}

// Need is a row for the roles the permission matrix allows action.
func Need(action authz.Action, method, pattern string, fn http.HandlerFunc) Route {
	return Route{Route: authz.Route{Method: method, Pattern: pattern, Action: action}, Handle: fn}
}

// WithBody raises a row's body limit to limit bytes, for uploads; its
// multipart form is parsed by the chain.
func WithBody(limit int64, rt Route) Route {
	rt.maxBody = limit
	return rt
}

// Static is the row of the fingerprinted static files, which skips the
// chain.
func (k *Kit) Static() Route {
	return Route{Route: authz.Route{Method: http.MethodGet, Pattern: "/static/{file...}", Public: true}, Handle: k.assets.serve, bare: true}
}
