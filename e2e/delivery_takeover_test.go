package e2e

import (
	"bytes"
	"encoding/base64"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestDeliveryNoTakeoverOfLiveWork starts a second replica while the first
// is sending a rate-limited notice whose batches take longer than the
// takeover, for the shortest --delivery-takeover allowed and the issue's
// 2 s: the newcomer may help with what is unclaimed but never takes over
// what the live replica is sending, so every recipient gets exactly one
// message. On SQLite (two processes on one file) and PostgreSQL.
func TestDeliveryNoTakeoverOfLiveWork(t *testing.T) {
	if testing.Short() {
		t.Skip("sends for several seconds per case")
	}
	t.Parallel()
	const hooks = 2000
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		for _, takeover := range []string{"1s", "2s"} {
			t.Run(string(engine)+"/"+takeover, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				db := storetest.DSN(t, engine)
				key := []string{"--audit-key-file", filepath.Join(dir, "audit.key")}
				mustRun(t, "", append([]string{"migrate", "--db", db}, key...)...)
				mustRun(t, "", append([]string{"user", "add", "ed", "--role", "editor", "--db", db}, key...)...)
				mustRun(t, "", append([]string{"user", "add", "ann", "--role", "approver", "--db", db}, key...)...)
				edTok := strings.TrimSpace(mustRun(t, "", append([]string{"token", "create", "--user", "ed", "--name", "t", "--db", db}, key...)...).stdout)
				annTok := strings.TrimSpace(mustRun(t, "", append([]string{"token", "create", "--user", "ann", "--name", "t", "--db", db}, key...)...).stdout)

				rc := &receiver{secret: "whsec_" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32)), ids: map[string]map[string]int{}}
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				srv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second}
				go srv.Serve(ln)
				t.Cleanup(func() { srv.Close() })
				conn := storetest.OpenAt(t, db, storetest.Options{}).Writer()
				addSubscribers(t, conn, "http://"+ln.Addr().String()+"/hook/", rc.secret, hooks, 0)

				// 100 webhooks a second per replica: a claimed batch takes
				// five seconds or more (its senders share the rate), longer
				// than the takeover and the shortest lease; the issue's
				// 2,000 recipients.
				flags := append([]string{"--rate-webhook", "100", "--delivery-takeover", takeover, "--base-url", "http://127.0.0.1:9"}, key...)
				first := startServe(t, db, flags...)
				id := apiPublish(t, "http://"+first.addr, edTok, annTok)
				deadline := time.Now().Add(2 * time.Minute)
				for rc.hits.Load() < 50 {
					if time.Now().After(deadline) {
						t.Fatalf("only %d webhooks arrived\nstderr:\n%s", rc.hits.Load(), first.stderr)
					}
					time.Sleep(20 * time.Millisecond)
				}
				second := startServe(t, db, flags...)
				for {
					var sent int
					if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = $1 AND state = 'sent'`, id).Scan(&sent); err != nil {
						t.Fatal(err)
					}
					if sent == hooks {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%d of %d sent\nfirst:\n%s\nsecond:\n%s", sent, hooks, first.stderr, second.stderr)
					}
					time.Sleep(200 * time.Millisecond)
				}
				if rc.hits.Load() < hooks {
					t.Fatalf("the receiver got %d, want %d", rc.hits.Load(), hooks)
				}
				for _, s := range []*serverProc{first, second} {
					if code := s.terminate(t); code != 0 {
						t.Errorf("serve exited %d after SIGTERM\nstderr:\n%s", code, s.stderr)
					}
				}
				var attempts int
				if err := conn.QueryRow(`SELECT MAX(attempts) FROM deliveries WHERE notice_id = $1`, id).Scan(&attempts); err != nil {
					t.Fatal(err)
				}
				rc.mu.Lock()
				defer rc.mu.Unlock()
				if len(rc.ids) != hooks {
					t.Fatalf("the receiver saw %d recipients, want %d", len(rc.ids), hooks)
				}
				for who, ids := range rc.ids {
					for _, n := range ids {
						if n != 1 || len(ids) != 1 {
							t.Fatalf("%s got %v, want one message", who, ids)
						}
					}
				}
				if attempts != 1 {
					t.Errorf("a delivery was claimed %d times: live work was taken over", attempts)
				}
			})
		}
	}
}
