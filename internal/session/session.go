// Package session identifies who is making an HTTP request — a browser with
// a session cookie or a program with an API token — and guards
// state-changing requests against cross-site request forgery. The staff UI
// and the JSON API share it, so both answer the same way.
package session

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// Cookie, header and form names.
const (
	CookieName = "crisisdesk_session"
	CSRFCookie = "crisisdesk_csrf"
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf_token"
	// ChallengeCookie carries a sign-in that waits for its second factor.
	ChallengeCookie = "crisisdesk_signin"
	// DeviceCookie marks a browser that signed in before, so that
	// strangers' failures elsewhere never throttle it.
	DeviceCookie = "crisisdesk_device"
	// StateCookie binds a sign-in at the identity provider to the browser
	// that started it.
	StateCookie = "crisisdesk_oidc"
)

// signInPath is where the sign-in cookies are sent, and nowhere else.
const signInPath = "/signin"

// Manager reads and writes the cookies.
type Manager struct {
	Accounts account.Service
	// Secure marks cookies Secure; set when crisisdesk is served over TLS
	// (directly or behind a proxy that terminates it).
	Secure bool
}

// Identity is who made a request.
type Identity struct {
	User    account.User
	ByToken bool   // authenticated with an API token, not a cookie
	Secret  string // the session secret, when by cookie
	Method  string // how the session signed in (account.MethodPassword or MethodOIDC), when by cookie
}

// MustEnrol reports whether the identity is a browser that must set up a
// second factor before anything else. API tokens are single-factor by
// design and never held.
func (id Identity) MustEnrol() bool {
	return !id.ByToken && account.MustEnrol(id.User, id.Method)
}

// Actor returns the identity as an actor, with the surface it came through.
func (id Identity) Actor() authz.Actor {
	if id.ByToken {
		return id.User.Actor(authz.SourceAPI)
	}
	return id.User.Actor(authz.SourceUI)
}

// Identify returns the identity behind the request: an `Authorization:
// Bearer` API token first, then the session cookie. A request with neither
// gets an unauthenticated error; so does a wrong, expired or revoked
// credential, or a disabled user.
func (m *Manager) Identify(r *http.Request) (Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return Identity{}, fault.New(fault.Unauthenticated, "the Authorization header must be \"Bearer <token>\"")
		}
		u, err := m.Accounts.TokenUser(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			return Identity{}, err
		}
		return Identity{User: u, ByToken: true}, nil
	}
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return Identity{}, fault.New(fault.Unauthenticated, "please sign in")
	}
	u, sess, err := m.Accounts.SessionUser(r.Context(), c.Value)
	if err != nil {
		return Identity{}, err
	}
	return Identity{User: u, Secret: c.Value, Method: sess.Method}, nil
}

// Start sets the session cookie for a new session secret.
func (m *Manager) Start(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: secret, Path: "/", HttpOnly: true, Secure: m.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(account.SessionAbsolute.Seconds()),
	})
	// A new session gets a new CSRF token too.
	m.setCSRF(w, newToken())
}

// End clears the session cookie.
func (m *Manager) End(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, Secure: m.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// StartChallenge keeps a sign-in that waits for its second factor, for
// as long as it may wait.
func (m *Manager) StartChallenge(w http.ResponseWriter, secret string) {
	m.setSignInCookie(w, ChallengeCookie, secret, signInPath, int(account.ChallengeTTL.Seconds()))
}

// Challenge returns the pending sign-in's secret, or "".
func (m *Manager) Challenge(r *http.Request) string { return cookieValue(r, ChallengeCookie) }

// EndChallenge forgets the pending sign-in.
func (m *Manager) EndChallenge(w http.ResponseWriter) {
	m.setSignInCookie(w, ChallengeCookie, "", signInPath, -1)
}

// Remember keeps a device secret in the browser.
func (m *Manager) Remember(w http.ResponseWriter, secret string) {
	if secret != "" {
		m.setSignInCookie(w, DeviceCookie, secret, signInPath, int(account.DeviceTTL.Seconds()))
	}
}

// Device returns the browser's device secret, or "".
func (m *Manager) Device(r *http.Request) string { return cookieValue(r, DeviceCookie) }

// StartState binds an authorisation request's state to the browser. The
// cookie is Lax, so that the provider's redirect back carries it.
func (m *Manager) StartState(w http.ResponseWriter, state string) {
	m.setSignInCookie(w, StateCookie, state, signInPath, int(account.ExternalLoginTTL.Seconds()))
}

// State returns the browser's pending authorisation state, or "".
func (m *Manager) State(r *http.Request) string { return cookieValue(r, StateCookie) }

// EndState forgets the authorisation state.
func (m *Manager) EndState(w http.ResponseWriter) {
	m.setSignInCookie(w, StateCookie, "", signInPath, -1)
}

func (m *Manager) setSignInCookie(w http.ResponseWriter, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, Secure: m.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// Client describes where a request comes from, for signing in.
func (m *Manager) Client(r *http.Request) account.Client {
	return account.Client{Address: ClientAddr(r), UserAgent: r.UserAgent(), Device: m.Device(r)}
}

func cookieValue(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

// CSRFToken returns the request's CSRF token, setting a new cookie when
// there is none. Pages put it in every form (field csrf_token) and htmx
// sends it as the X-CSRF-Token header.
func (m *Manager) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t := newToken()
	m.setCSRF(w, t)
	// Later reads in the same request see the new token.
	r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: t})
	return t
}

func (m *Manager) setCSRF(w http.ResponseWriter, t string) {
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: t, Path: "/", HttpOnly: true, Secure: m.Secure,
		SameSite: http.SameSiteStrictMode})
}

// CheckCSRF verifies a state-changing request: the token in the form field
// or header must equal the CSRF cookie (double submit), and the browser must
// not mark the request cross-site. Requests with an API token carry no
// ambient credentials and are exempt. Safe methods always pass.
func (m *Manager) CheckCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if r.Header.Get("Authorization") != "" {
		return nil
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
		return fault.New(fault.Forbidden, "cross-site request refused")
	}
	c, err := r.Cookie(CSRFCookie)
	if err != nil || c.Value == "" {
		return fault.New(fault.Forbidden, "missing CSRF token: reload the page and try again")
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) != 1 {
		return fault.New(fault.Forbidden, "missing or wrong CSRF token: reload the page and try again")
	}
	return nil
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on Linux
	return base64.RawURLEncoding.EncodeToString(b)
}

type ctxKey struct{}

// With returns ctx carrying the identity.
func With(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identity in ctx, if any.
func From(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// ClientAddr returns the request's remote address without the port, for
// throttling and the session list. It is the one place that reads the
// client from a request: behind a trusted proxy the server has already put
// the real client in RemoteAddr. An address without a port is returned
// whole (unbracketed), as cutting at its last colon would mangle IPv6.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return strings.TrimSuffix(strings.TrimPrefix(r.RemoteAddr, "["), "]")
	}
	return host
}
