package app_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/config"
	"crisisdesk/internal/public"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// Every cookie crisisdesk sets (session, CSRF, language on the staff UI
// and on the public site) is Secure when the base URL is https, unless
// --secure-cookies says otherwise. The settings are read as the command
// line reads them.
func TestCookiesAreSecureOverHTTPS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantSecure bool
	}{
		{"https base URL", []string{"--base-url", "https://crisis.example.org"}, true},
		{"https base URL, explicitly not Secure", []string{"--base-url", "https://crisis.example.org", "--secure-cookies", "false"}, false},
		{"http base URL", []string{"--base-url", "http://127.0.0.1:8080"}, false},
		{"http base URL, explicitly Secure", []string{"--secure-cookies", "true"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			settings := config.Register(fs)
			args := append([]string{"--db", "sqlite:" + filepath.Join(dir, "crisisdesk.db"), "--addr", "127.0.0.1:0",
				"--admin-password", testPassword, "--log-level", "error"}, tt.args...)
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			cfg, err := settings.Load(func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			a, err := app.New(context.Background(), app.Options{Passwords: accounttest.WeakHashing(), Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				a.Stop(ctx)
			})
			base := "http://" + a.Addr()
			hc := &http.Client{Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			cookies := map[string]*http.Cookie{}
			do := func(req *http.Request) {
				t.Helper()
				res, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				for _, c := range res.Cookies() {
					cookies[c.Name] = c
				}
			}
			req, _ := http.NewRequest(http.MethodGet, base+"/signin", nil)
			do(req)
			csrf := cookies[session.CSRFCookie]
			if csrf == nil {
				t.Fatal("no CSRF cookie from /signin")
			}
			form := url.Values{"name": {"admin"}, "password": {testPassword}, session.CSRFField: {csrf.Value}}
			req, _ = http.NewRequest(http.MethodPost, base+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: session.CSRFCookie, Value: csrf.Value})
			do(req)
			// The language choice is stored by the picker's post (a ?lang=
			// link shows a language without storing it).
			form = url.Values{"language": {"en"}, "next": {"/"}, session.CSRFField: {csrf.Value}}
			req, _ = http.NewRequest(http.MethodPost, base+kit.LanguagePath, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: session.CSRFCookie, Value: csrf.Value})
			if c := cookies[session.CookieName]; c != nil {
				req.AddCookie(c)
			}
			do(req)
			for _, name := range []string{session.CookieName, session.CSRFCookie, public.LanguageCookie} {
				c := cookies[name]
				if c == nil {
					t.Errorf("no %s cookie was set", name)
					continue
				}
				if c.Secure != tt.wantSecure {
					t.Errorf("cookie %s: Secure = %v, want %v", name, c.Secure, tt.wantSecure)
				}
			}
		})
	}
}
