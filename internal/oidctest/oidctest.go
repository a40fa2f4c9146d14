// Package oidctest runs a small but real OpenID Connect provider in the
// test process: discovery, a JWKS, an authorisation endpoint with a login
// form a browser can fill in, and a token endpoint that checks the client,
// the redirect URI and the PKCE verifier and answers with an ID token
// signed by a freshly generated RSA key. Unit tests drive it over HTTP;
// browser tests send a real browser through it.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc/oidctest"
)

// User is a person the provider knows, by the login typed in its form.
type User struct {
	Subject string
	// Claims go into the ID token beside the standard ones, e.g.
	// "groups": []string{"crisis-commanders"}.
	Claims map[string]any
}

// Issuer is a running provider. Its fields may be changed between
// sign-ins.
type Issuer struct {
	URL          string // the issuer URL, http://127.0.0.1:PORT
	ClientID     string
	ClientSecret string

	// Tamper, when set, may change an ID token's claims just before they
	// are signed: a wrong audience, an old expiry, another nonce.
	Tamper func(claims map[string]any)
	// Now is the provider's clock for issuing tokens; default time.Now.
	Now func() time.Time

	srv *httptest.Server
	key *rsa.PrivateKey
	kid string

	mu     sync.Mutex
	users  map[string]User
	grants map[string]grant
	tokens int // ID tokens issued
}

type grant struct {
	login, clientID, redirectURI, nonce, challenge string
	expires                                        time.Time
}

// New starts a provider for one client; it stops when the test ends.
func New(tb testing.TB, clientID, clientSecret string) *Issuer {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatalf("oidctest: generate key: %v", err)
	}
	iss := &Issuer{ClientID: clientID, ClientSecret: clientSecret, key: key, kid: "test-" + randomString(6),
		users: map[string]User{}, grants: map[string]grant{}, Now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", iss.discovery)
	mux.HandleFunc("GET /jwks", iss.jwks)
	mux.HandleFunc("GET /authorize", iss.authorizePage)
	mux.HandleFunc("POST /authorize", iss.authorize)
	mux.HandleFunc("POST /token", iss.token)
	iss.srv = httptest.NewServer(mux)
	iss.URL = iss.srv.URL
	tb.Cleanup(iss.srv.Close)
	return iss
}

// AddUser lets login sign in as u.
func (i *Issuer) AddUser(login string, u User) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.users[login] = u
}

// Issued counts the ID tokens the provider has issued.
func (i *Issuer) Issued() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.tokens
}

func (i *Issuer) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.URL,
		"authorization_endpoint":                i.URL + "/authorize",
		"token_endpoint":                        i.URL + "/token",
		"jwks_uri":                              i.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "groups"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (i *Issuer) jwks(w http.ResponseWriter, r *http.Request) {
	pub := i.key.PublicKey
	b64 := base64.RawURLEncoding
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": i.kid,
		"n": b64.EncodeToString(pub.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// authParams are the authorisation request's parameters the form carries
// through.
var authParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"}

// checkAuthRequest returns what is wrong with an authorisation request, or
// "".
func (i *Issuer) checkAuthRequest(q url.Values) string {
	switch {
	case q.Get("response_type") != "code":
		return "response_type must be code"
	case q.Get("client_id") != i.ClientID:
		return "unknown client_id"
	case q.Get("redirect_uri") == "":
		return "redirect_uri is missing"
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		return "scope must include openid"
	case q.Get("state") == "":
		return "state is missing"
	case q.Get("nonce") == "":
		return "nonce is missing"
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		return "PKCE with S256 is required"
	}
	return ""
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main>
<h1 id="idp-title">Test identity provider</h1>
{{with .Error}}<p id="idp-error" role="alert">{{.}}</p>{{end}}
<form id="idp-form" method="post" action="/authorize">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<label for="idp-login">Login</label> <input id="idp-login" name="login" autocomplete="username">
<button id="idp-submit" type="submit" name="action" value="approve">Sign in</button>
<button id="idp-deny" type="submit" name="action" value="deny">Cancel</button>
</form></main></body></html>`))

func (i *Issuer) renderLogin(w http.ResponseWriter, q url.Values, status int, msg string) {
	params := map[string]string{}
	for _, k := range authParams {
		params[k] = q.Get(k)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, struct {
		Params map[string]string
		Error  string
	}{params, msg})
}

func (i *Issuer) authorizePage(w http.ResponseWriter, r *http.Request) {
	if msg := i.checkAuthRequest(r.URL.Query()); msg != "" {
		http.Error(w, "oidctest: "+msg, http.StatusBadRequest)
		return
	}
	i.renderLogin(w, r.URL.Query(), http.StatusOK, "")
}

func (i *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "oidctest: "+err.Error(), http.StatusBadRequest)
		return
	}
	q := r.PostForm
	if msg := i.checkAuthRequest(q); msg != "" {
		http.Error(w, "oidctest: "+msg, http.StatusBadRequest)
		return
	}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "oidctest: bad redirect_uri", http.StatusBadRequest)
		return
	}
	answer := back.Query()
	answer.Set("state", q.Get("state"))
	if q.Get("action") == "deny" {
		answer.Set("error", "access_denied")
		back.RawQuery = answer.Encode()
		http.Redirect(w, r, back.String(), http.StatusSeeOther)
		return
	}
	login := strings.TrimSpace(q.Get("login"))
	i.mu.Lock()
	_, known := i.users[login]
	code := randomString(24)
	if known {
		i.grants[code] = grant{login: login, clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"),
			nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), expires: i.Now().Add(time.Minute)}
	}
	i.mu.Unlock()
	if !known {
		i.renderLogin(w, q, http.StatusUnauthorized, "Unknown login.")
		return
	}
	answer.Set("code", code)
	back.RawQuery = answer.Encode()
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}

func (i *Issuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok { // RFC 6749 §2.3.1: form-encoded before they were put in the header
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != i.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(i.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	code := r.PostForm.Get("code")
	i.mu.Lock()
	g, found := i.grants[code]
	delete(i.grants, code) // a code is good once
	u := i.users[g.login]
	i.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !found || i.Now().After(g.expires) || g.clientID != id:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case g.redirectURI != r.PostForm.Get("redirect_uri"):
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := i.Now()
	claims := map[string]any{}
	for k, v := range u.Claims {
		claims[k] = v
	}
	claims["iss"], claims["sub"], claims["aud"] = i.URL, u.Subject, i.ClientID
	claims["iat"], claims["exp"], claims["nonce"] = now.Unix(), now.Add(5*time.Minute).Unix(), g.nonce
	if i.Tamper != nil {
		i.Tamper(claims)
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error")
		return
	}
	idToken := oidctest.SignIDToken(i.key, i.kid, "RS256", string(raw))
	i.mu.Lock()
	i.tokens++
	i.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": randomString(24), "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}

func tokenError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
