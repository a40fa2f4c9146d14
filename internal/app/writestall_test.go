package app_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// writesOnPurpose are the GET routes that write by design: an export of
// personal data is recorded in the audit trail before a byte leaves, and
// stops when it cannot be.
var writesOnPurpose = map[string]bool{
	"/desk/subscribers/export.csv":  true,
	"/desk/subscribers/export.xlsx": true,
	"/api/v1/subscribers/export":    true,
}

// TestReadsAnswerWhileTheWriterIsStalled holds the database's write lock
// from another connection (another process on SQLite; the rows a request
// could wait for on PostgreSQL) and shows that authenticated read-only
// requests, by session cookie and by API token, are answered while it is
// held, with their last use due to be recorded; that /readyz says 503 and
// names the stall; and that the last use is written once the lock is gone.
// On SQLite every GET route of the staff UI and the API is walked too.
func TestReadsAnswerWhileTheWriterIsStalled(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			clk := clock.NewFake(time.Now())
			a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Clock: clk, Config: config.Config{
				DB: dsn, Addr: "127.0.0.1:0", AdminPassword: testPassword, LogLevel: "error",
				ShutdownTimeout: 5 * time.Second, FastPath: true,
				AuditKeyFile: filepath.Join(t.TempDir(), "audit.key"),
			}})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				a.Stop(ctx)
			})
			sys := authz.System(authz.SourceCLI, "test")
			acc := a.Store.Accounts()
			if err := acc.SetPassword(ctx, sys, 1, testPassword, false); err != nil {
				t.Fatal(err)
			}
			mei, err := acc.CreateUser(ctx, sys, account.NewUser{Name: "mei", Role: authz.Commander, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			types, err := a.Store.Plans().Types(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c, err := a.Store.Crises().Declare(ctx, mei.Actor(authz.SourceUI), crisis.Declaration{Title: "Warehouse fire",
				TypeID: types[0].ID, Level: catalog.LevelII, Location: "Depot 4", OccurredAt: clk.Now()})
			if err != nil {
				t.Fatal(err)
			}
			client := account.Client{Address: "127.0.0.1", UserAgent: "test"}
			cookie := storetest.SignIn(t, a.Store, "mei", testPassword, storetest.EnrolTOTP(t, a.Store, mei), client)
			token, tokMeta, err := acc.CreateToken(ctx, sys, mei.ID, "dashboard")
			if err != nil {
				t.Fatal(err)
			}
			adminUser, err := acc.User(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			admin := storetest.SignIn(t, a.Store, "admin", testPassword, storetest.EnrolTOTP(t, a.Store, adminUser), client)
			// A client with patience, not a timing assertion: a request
			// that waits on the lock fails the checks below instead of
			// hanging the suite.
			hc := &http.Client{Timeout: 60 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get := func(path, cookieSecret, bearer string) (int, string) {
				t.Helper()
				req, _ := http.NewRequest(http.MethodGet, "http://"+a.Addr()+path, nil)
				if cookieSecret != "" {
					req.AddCookie(&http.Cookie{Name: session.CookieName, Value: cookieSecret})
				}
				if bearer != "" {
					req.Header.Set("Authorization", "Bearer "+bearer)
				}
				res, err := hc.Do(req)
				if err != nil {
					t.Errorf("GET %s: %v", path, err)
					return 0, ""
				}
				defer res.Body.Close()
				if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
					return res.StatusCode, "" // never ends: its headers are the answer
				}
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			if code, body := get("/readyz", "", ""); code != http.StatusOK {
				t.Fatalf("readyz before the lock: %d %s", code, body)
			}
			clk.Advance(2 * time.Minute) // the session and the token are due a "last used" write

			release := storetest.HoldWriteLock(t, dsn)
			crisisPath := "/api/v1/crises/" + strconv.FormatInt(c.ID, 10)
			for _, tt := range []struct {
				name, path, cookie, bearer, want string
			}{
				{"API by token", crisisPath, "", token, "Warehouse fire"},
				{"API by session cookie", crisisPath, cookie, "", "Warehouse fire"},
				{"crisis room by session cookie", "/desk/crises/" + strconv.FormatInt(c.ID, 10), cookie, "", "Warehouse fire"},
			} {
				if code, body := get(tt.path, tt.cookie, tt.bearer); code != http.StatusOK || !strings.Contains(body, tt.want) {
					t.Errorf("%s while the write lock is held: %d, want 200 with %q", tt.name, code, tt.want)
				}
			}
			code, body := get("/readyz", "", "")
			if code != http.StatusServiceUnavailable || !strings.Contains(body, "writes stalled") {
				t.Errorf("readyz while the write lock is held: %d %q, want 503 naming the write stall", code, body)
			}
			if engine == store.SQLite {
				// Every other read of the staff UI and the API, as the admin.
				routes := append(a.Web.Routes(), a.API.Routes()...)
				for _, rt := range routes {
					if rt.Method != http.MethodGet || writesOnPurpose[rt.Pattern] {
						continue
					}
					path := strings.TrimSuffix(strings.ReplaceAll(rt.Pattern, "{id}", "1"), "{$}")
					if code, _ := get(path, admin, ""); code == 0 || code >= 500 {
						t.Errorf("GET %s while the write lock is held: %d", path, code)
					}
				}
			}
			// Everything above finished while the lock was still held.
			release()

			if code, body := get("/readyz", "", ""); code != http.StatusOK {
				t.Errorf("readyz after the lock is gone: %d %s", code, body)
			}
			if err := a.Store.FlushLastUsed(ctx); err != nil {
				t.Fatal(err)
			}
			var used sql.NullTime
			if err := a.Store.Writer().QueryRowContext(ctx, `SELECT last_used_at FROM api_tokens WHERE id = $1`, tokMeta.ID).Scan(&used); err != nil {
				t.Fatal(err)
			}
			if !used.Valid || !used.Time.Equal(clk.Now()) {
				t.Errorf("token last used %v after the flush, want %s", used, clk.Now())
			}
		})
	}
}
