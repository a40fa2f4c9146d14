package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store/storetest"
)

// Who calls the API in a Staff request: a role's name calls with that
// role's API token; these are the others.
const (
	Anonymous    = ""               // no credentials at all
	Cookie       = "cookie"         // the admin's browser session with the CSRF header
	CookieNoCSRF = "cookie-no-csrf" // the admin's browser session alone
	BadToken     = "bad-token"      // a token nobody was given
)

// staffCSRF is the CSRF token of Staff's browser requests: the cookie and,
// for Cookie, the header.
const staffCSRF = "0123456789abcdef0123456789abcdef0123456789"

// Staff is a running app with one user of every role, named u-<role>, each
// holding an API token, and the admin signed in in a browser with the
// second factor its role needs. It calls the API as any of them: over
// HTTP when the app was started, or through the app's handler in the test
// process when Options.NoStart left the job runner and server stopped, so
// that nothing runs behind the test's back (a delivery test drives the
// fan-out itself).
type Staff struct {
	*Env
	Users  map[authz.Role]account.User
	Tokens map[authz.Role]string
	// Session is the admin's browser session, sent by Cookie and
	// CookieNoCSRF; a test may sign in again and replace it.
	Session string
	client  *http.Client
}

// NewStaff boots the real app as New does, with public sign-ups
// effectively unlimited (o.Options may set app.Options.SubscribeRate),
// and makes the staff.
func NewStaff(tb testing.TB, o Options) *Staff {
	tb.Helper()
	tune := o.Options
	o.Options = func(opts *app.Options) {
		opts.SubscribeRate = 1000
		if tune != nil {
			tune(opts)
		}
	}
	e := New(tb, o)
	s := &Staff{Env: e, Users: map[authz.Role]account.User{}, Tokens: map[authz.Role]string{},
		client: &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if o.NoStart {
		s.client.Transport = inProcess{e.App.Handler()}
	}
	for _, r := range authz.Roles {
		u := e.User("u-"+string(r), r)
		s.Users[r], s.Tokens[r] = u, e.Token(u)
	}
	admin := s.Users[authz.Admin]
	s.Session = storetest.SignIn(tb, e.Store, admin.Name, Password, e.Factor(admin), StaffClient)
	return s
}

// StaffClient is where Staff's browser signs in from.
var StaffClient = account.Client{Address: "192.0.2.1", UserAgent: "test"}

// inProcess serves requests through a handler in the test process, from
// the request's RemoteAddr when the test set one.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	if r.RemoteAddr == "" { // a test may say where the request comes from
		r.RemoteAddr = "192.0.2.1:1234"
	}
	if r.Body == nil { // a server's request always has one
		r.Body = http.NoBody
	}
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// Request builds a request to path made by who; a nil body sends none.
func (s *Staff) Request(who, method, path, contentType string, body []byte) *http.Request {
	s.T.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.T.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", contentType)
	}
	switch who {
	case Anonymous:
	case Cookie, CookieNoCSRF:
		r.AddCookie(&http.Cookie{Name: session.CookieName, Value: s.Session})
		r.AddCookie(&http.Cookie{Name: session.CSRFCookie, Value: staffCSRF})
		if who == Cookie {
			r.Header.Set(session.CSRFHeader, staffCSRF)
		}
	case BadToken:
		r.Header.Set("Authorization", "Bearer cdt_nonsense")
	default:
		tok, ok := s.Tokens[authz.Role(who)]
		if !ok {
			s.T.Fatalf("apptest: unknown caller %q", who)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return r
}

// Serve sends r and reads the response whole.
func (s *Staff) Serve(r *http.Request) Response {
	s.T.Helper()
	res, err := s.client.Do(r)
	if err != nil {
		s.T.Fatalf("%s %s: %v", r.Method, r.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.T.Fatalf("%s %s: read the response: %v", r.Method, r.URL.Path, err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Send makes a request with a body of any media type; a nil body sends
// none.
func (s *Staff) Send(who, method, path, contentType string, body []byte) Response {
	s.T.Helper()
	return s.Serve(s.Request(who, method, path, contentType, body))
}

// Do makes a request with body as JSON; an empty body sends none.
func (s *Staff) Do(who, method, path, body string) Response {
	s.T.Helper()
	if body == "" {
		return s.Send(who, method, path, "", nil)
	}
	return s.Send(who, method, path, "application/json", []byte(body))
}

// Call is Do failing the test unless the answer has status want.
func (s *Staff) Call(who, method, path, body string, want int) Response {
	s.T.Helper()
	res := s.Do(who, method, path, body)
	if res.Status != want {
		s.T.Fatalf("%s %s as %q = %d, want %d; body %.500s", method, path, who, res.Status, want, res.Body)
	}
	return res
}

// Decode decodes res's JSON body, failing tb when it is not a T.
func Decode[T any](tb testing.TB, res Response) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		tb.Fatalf("decode: %v; body %s", err, res.Body)
	}
	return v
}

// Problem is an RFC 9457 problem as the API sends it.
type Problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// Has reports whether one of p's errors is located at loc.
func (p Problem) Has(loc string) bool {
	for _, d := range p.Errors {
		if d.Location == loc {
			return true
		}
	}
	return false
}

// WantProblem decodes res as a problem, failing tb unless it is
// application/problem+json whose status and title are the response's.
func WantProblem(tb testing.TB, res Response) Problem {
	tb.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, res.Body)
	}
	p := Decode[Problem](tb, res)
	if p.Status != res.Status || p.Title != http.StatusText(res.Status) {
		tb.Errorf("problem status/title = %d %q, response %d", p.Status, p.Title, res.Status)
	}
	return p
}

// JSONKeys returns the sorted keys of the JSON object in res's body.
func JSONKeys(tb testing.TB, res Response) []string {
	tb.Helper()
	m := Decode[map[string]json.RawMessage](tb, res)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
