package session

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const token = "0123456789abcdef0123456789abcdef0123456789"

func TestCheckCSRF(t *testing.T) {
	t.Parallel()
	m := &Manager{}
	tests := []struct {
		name   string
		method string
		cookie string
		header string
		form   string
		auth   string
		site   string
		ok     bool
	}{
		{name: "GET needs nothing", method: "GET", ok: true},
		{name: "POST without anything", method: "POST"},
		{name: "POST with matching header", method: "POST", cookie: token, header: token, ok: true},
		{name: "POST with matching form field", method: "POST", cookie: token, form: token, ok: true},
		{name: "POST with wrong token", method: "POST", cookie: token, header: token + "x"},
		{name: "POST with token but no cookie", method: "POST", header: token},
		{name: "bearer requests carry no ambient credentials", method: "POST", auth: "Bearer cdt_x", ok: true},
		{name: "cross-site refused even with token", method: "POST", cookie: token, header: token, site: "cross-site"},
		{name: "DELETE needs it too", method: "DELETE", cookie: token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body *strings.Reader
			if tt.form != "" {
				body = strings.NewReader(url.Values{CSRFField: {tt.form}}.Encode())
			} else {
				body = strings.NewReader("")
			}
			r := httptest.NewRequest(tt.method, "/x", body)
			if tt.form != "" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tt.cookie})
			}
			if tt.header != "" {
				r.Header.Set(CSRFHeader, tt.header)
			}
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if tt.site != "" {
				r.Header.Set("Sec-Fetch-Site", tt.site)
			}
			if err := m.CheckCSRF(r); (err == nil) != tt.ok {
				t.Fatalf("CheckCSRF = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestCSRFTokenIsStableWithinARequestAndCookieIsStrict(t *testing.T) {
	t.Parallel()
	m := &Manager{Secure: true}
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	a, b := m.CSRFToken(w, r), m.CSRFToken(w, r)
	if a == "" || a != b {
		t.Fatalf("tokens %q and %q", a, b)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || !cookies[0].Secure || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", cookies)
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"192.0.2.1:5555": "192.0.2.1", "[2001:db8::1]:80": "2001:db8::1",
		"[fe80::1%eth0]:80": "fe80::1%eth0", "203.0.113.9:0": "203.0.113.9",
		// Without a port (never from net/http): kept whole.
		"192.0.2.1": "192.0.2.1", "2001:db8::1": "2001:db8::1", "[2001:db8::1]": "2001:db8::1", "": ""} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = in
		if got := ClientAddr(r); got != want {
			t.Errorf("ClientAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
