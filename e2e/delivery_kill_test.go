package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"crisisdesk/internal/channel/webhook"
)

// killSubscribers is how many webhook subscribers the kill test publishes
// to: the figure.
const killSubscribers = 100_000

// receiver is a real webhook endpoint: it verifies every signature and
// records which recipient it saw with which webhook-id.
type receiver struct {
	secret string
	hits   atomic.Int64
	bad    atomic.Int64
	mu     sync.Mutex
	ids    map[string]map[string]int // recipient → webhook-id → times seen
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	if err := webhook.Verify([]string{rc.secret}, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		rc.bad.Add(1)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var msg struct {
		Recipient string `json:"recipient"`
	}
	if err := json.Unmarshal(body, &msg); err != nil || msg.Recipient == "" {
		rc.bad.Add(1)
		http.Error(w, "no recipient", http.StatusBadRequest)
		return
	}
	id := r.Header.Get("webhook-id")
	rc.mu.Lock()
	if rc.ids[msg.Recipient] == nil {
		rc.ids[msg.Recipient] = map[string]int{}
	}
	rc.ids[msg.Recipient][id]++
	rc.mu.Unlock()
	rc.hits.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

// TestDeliveryKilledMidWay publishes a notice to 100,000 webhook
// subscribers, kills the server with SIGKILL during the fan-out and sends,
// restarts it, and checks that every recipient ends with exactly one sent
// record and was reached — repeats only under the same idempotency key.
func TestDeliveryKilledMidWay(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes to 100,000 subscribers")
	}
	t.Parallel()
	db, path := sqliteDB(t)
	mustRun(t, "", "migrate", "--db", db)
	mustRun(t, "", "user", "add", "ed", "--role", "editor", "--db", db)
	mustRun(t, "", "user", "add", "ann", "--role", "approver", "--db", db)
	edTok := strings.TrimSpace(mustRun(t, "", "token", "create", "--user", "ed", "--name", "kill-test", "--db", db).stdout)
	annTok := strings.TrimSpace(mustRun(t, "", "token", "create", "--user", "ann", "--name", "kill-test", "--db", db).stdout)

	key := bytes.Repeat([]byte{7}, 32)
	rc := &receiver{secret: "whsec_" + base64.StdEncoding.EncodeToString(key), ids: map[string]map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	hook := "http://" + ln.Addr().String() + "/hook/"
	addSubscribers(t, path, hook, rc.secret, killSubscribers)

	flags := []string{"--rate-webhook", "0", "--delivery-takeover", "3s", "--base-url", "http://127.0.0.1:9"}
	first := startServe(t, db, flags...)
	base := "http://" + first.addr
	id := apiPublish(t, base, edTok, annTok)

	// Kill it as soon as sending has begun, while the fan-out is still
	// writing delivery records if it can be caught at it.
	conn := openSQLite(t, path)
	deadline := time.Now().Add(3 * time.Minute)
	for rc.hits.Load() < 500 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d webhooks arrived before the deadline\nstderr:\n%s", rc.hits.Load(), first.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	atKill := rc.hits.Load()
	var written int
	var fanoutDone bool
	if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = ?`, id).Scan(&written); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(`SELECT done FROM fanouts WHERE notice_id = ?`, id).Scan(&fanoutDone); err != nil {
		t.Fatal(err)
	}
	t.Logf("at the kill: %d delivery records written, fan-out finished: %v", written, fanoutDone)
	if atKill >= killSubscribers {
		t.Fatalf("every webhook arrived before the kill (%d): the test proves nothing", atKill)
	}
	t.Logf("killed after %d of %d webhooks", atKill, killSubscribers)

	second := startServe(t, db, flags...)
	deadline = time.Now().Add(5 * time.Minute)
	for {
		var sent int
		if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = ? AND state = 'sent'`, id).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if sent == killSubscribers {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d sent after the restart\nstderr:\n%s", sent, killSubscribers, second.stderr)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code := second.terminate(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}

	var records, recipients, other int
	if err := conn.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT recipient_id) FROM deliveries WHERE notice_id = ?`, id).Scan(&records, &recipients); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = ? AND state <> 'sent'`, id).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if records != killSubscribers || recipients != killSubscribers || other != 0 {
		t.Fatalf("%d records for %d recipients (%d not sent), want exactly one sent record each", records, recipients, other)
	}
	if bad := rc.bad.Load(); bad != 0 {
		t.Fatalf("%d webhooks failed signature or body checks", bad)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.ids) != killSubscribers {
		t.Fatalf("the receiver saw %d recipients, want %d", len(rc.ids), killSubscribers)
	}
	repeats := 0
	for who, ids := range rc.ids {
		if len(ids) != 1 {
			t.Fatalf("recipient %s got %d different webhook-ids: %v", who, len(ids), ids)
		}
		for _, n := range ids {
			repeats += n - 1
		}
	}
	t.Logf("%d repeats after the crash, each with its original webhook-id", repeats)
}

// addSubscribers writes n active webhook subscribers straight into the
// database, as an admin's import would: staff-made endpoints may use the
// loopback address.
func addSubscribers(t *testing.T, path, hook, secret string, n int) {
	t.Helper()
	conn := openSQLite(t, path)
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO subscribers (channel, address, language, status, source, secret, token, created_at, confirmed_at, updated_at)
		VALUES ('webhook', ?, 'en', 'active', 'import', ?, ?, ?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05-07:00")
	for i := range n {
		if _, err := stmt.Exec(fmt.Sprintf("%s%d", hook, i), secret, fmt.Sprintf("kill-token-%d", i), now, now, now); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// apiPublish drafts a public announcement as the editor, and approves and
// publishes it as the approver, through the API. It returns its id.
func apiPublish(t *testing.T, base, editor, approver string) int64 {
	t.Helper()
	body := `{"kind": "alert", "audience": "public",
		"content": {"en": {"headline": "Water main burst", "body": "Avoid Queen's Road.", "instruction": "Use the MTR."}},
		"cap": {"event": "Water main burst", "category": "Infra", "urgency": "Immediate", "severity": "Moderate", "certainty": "Observed",
			"area": {"description": "Central"}}}`
	var n struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	apiCall(t, base+"/api/v1/notices", editor, body, &n)
	apiCall(t, fmt.Sprintf("%s/api/v1/notices/%d/submit", base, n.ID), editor, `{}`, &n)
	apiCall(t, fmt.Sprintf("%s/api/v1/notices/%d/approve", base, n.ID), approver, `{}`, &n)
	apiCall(t, fmt.Sprintf("%s/api/v1/notices/%d/publish", base, n.ID), approver, `{}`, &n)
	if n.Status != "published" {
		t.Fatalf("notice %d is %s", n.ID, n.Status)
	}
	return n.ID
}

func apiCall(t *testing.T, url, token, body string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("POST %s: %v: %s", url, err, b)
	}
}
