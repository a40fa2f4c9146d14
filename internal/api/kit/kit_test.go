package kit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
)

// newKit is a kit whose operations tests declare themselves; the rooms'
// operations are tested on the real app (internal/app/apptest).
func newKit(t *testing.T) *Kit {
	t.Helper()
	k, err := New(Options{Sessions: &session.Manager{}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewNeedsSessions(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "Sessions") {
		t.Errorf("New without sessions: %v", err)
	}
}

func TestRegisterRefusesUndeclaredNeed(t *testing.T) {
	t.Parallel()
	k := newKit(t)
	h := func(context.Context, *struct{}) (*struct{}, error) { return nil, nil }
	Register(k, Access{}, huma.Operation{Method: "GET", Path: "/x"}, h)
	Register(k, Can("no.such.action"), huma.Operation{Method: "GET", Path: "/y"}, h)
	Register(k, Access{signedIn: true, action: authz.ViewUsers}, huma.Operation{Method: "GET", Path: "/z"}, h)
	Register(k, Access{public: true, signedIn: true}, huma.Operation{Method: "GET", Path: "/p"}, h)
	Register(k, Access{public: true, action: authz.ViewUsers}, huma.Operation{Method: "GET", Path: "/q"}, h)
	if len(k.errs) != 5 || len(k.routes) != 0 {
		t.Fatalf("errs %v, routes %v: want 5 errors and no routes", k.errs, k.routes)
	}
	err := k.Finish()
	for _, p := range []string{"GET /x", "GET /y", "GET /z", "GET /p", "GET /q"} {
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("Finish does not report %s: %v", p, err)
		}
	}
}

// failingOutput is the answer of operations that fail as a service can:
// with an error without a code that names a file, or with a panic.
type failingOutput struct{ Body []string }

func TestInternalErrorsStayInside(t *testing.T) {
	t.Parallel()
	k := newKit(t)
	Register(k, Public, huma.Operation{OperationID: "fail", Method: "GET", Path: "/departments", Tags: []string{"t"}},
		func(context.Context, *struct{}) (*failingOutput, error) {
			return nil, errors.New("disk on fire at /var/lib/crisisdesk")
		})
	Register(k, Public, huma.Operation{OperationID: "panic", Method: "GET", Path: "/departments/{id}", Tags: []string{"t"}},
		func(context.Context, *struct {
			ID int64 `path:"id"`
		}) (*failingOutput, error) {
			panic("unreachable state")
		})
	if err := k.Finish(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/departments", "/api/v1/departments/1"} {
		w := httptest.NewRecorder()
		k.Handler().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusInternalServerError {
			t.Errorf("%s: %d, want 500", path, w.Code)
			continue
		}
		var p huma.ErrorModel
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: not a problem: %v %s", path, err, w.Body)
		}
		if p.Detail != "internal error" || p.Title != http.StatusText(500) || strings.Contains(w.Body.String(), "fire") ||
			strings.Contains(w.Body.String(), "unreachable") {
			t.Errorf("%s: leaks the cause: %s", path, w.Body)
		}
	}
}

func TestMaskAddress(t *testing.T) {
	t.Parallel()
	cases := []struct{ ch, addr, want string }{
		{"email", "john@example.org", "j***@example.org"},
		{"email", "陳大文@example.org", "陳***@example.org"},
		{"email", "no-at-sign", "***"},
		{"sms", "+85291235678", "+852****5678"},
		{"sms", "+1234", "****"},
		{"webhook", "https://hooks.example.org:8443/path?token=secret", "https://hooks.example.org:8443/…"},
		{"webhook", "::not a url", "***"},
		{"app", "", ""},
		{"pigeon", "loft 3", "***"},
	}
	for _, c := range cases {
		if got := MaskAddress(c.ch, c.addr); got != c.want {
			t.Errorf("MaskAddress(%s, %q) = %q, want %q", c.ch, c.addr, got, c.want)
		}
	}
}

func TestMaskSecret(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_…LaSw"},
		{"whsec_short", "whsec_…"},
		{"", ""},
	}
	for _, c := range cases {
		if got := MaskSecret(c.in); got != c.want {
			t.Errorf("MaskSecret(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
