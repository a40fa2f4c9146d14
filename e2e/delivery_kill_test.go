package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// The kill test publishes one notice to killHooks webhook subscribers and
// killMails e-mail subscribers (the e-mail figure), on each engine.
const (
	killHooks = 30_000
	killMails = 2_000
)

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

// TestDeliveryKilledMidWay publishes a notice to webhook and e-mail
// subscribers, kills the server with SIGKILL while it sends, restarts it,
// and counts what the receivers (a webhook endpoint and an SMTP server)
// actually got per recipient: everyone at least once, and no more repeats
// per channel than the channel's in-flight sends (delivery.Engine.InFlight),
// each repeat under its original idempotency key. Then every recipient has
// exactly one sent record. On SQLite and PostgreSQL.
func TestDeliveryKilledMidWay(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes to 32,000 subscribers, twice")
	}
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			killMidWay(t, engine)
		})
	}
}

func killMidWay(t *testing.T, engine store.Engine) {
	dir := t.TempDir()
	db := storetest.DSN(t, engine)
	keyFlag := []string{"--audit-key-file", filepath.Join(dir, "audit.key")}
	mustRun(t, "", append([]string{"migrate", "--db", db}, keyFlag...)...)
	mustRun(t, "", append([]string{"user", "add", "ed", "--role", "editor", "--db", db}, keyFlag...)...)
	mustRun(t, "", append([]string{"user", "add", "ann", "--role", "approver", "--db", db}, keyFlag...)...)
	edTok := strings.TrimSpace(mustRun(t, "", append([]string{"token", "create", "--user", "ed", "--name", "kill-test", "--db", db}, keyFlag...)...).stdout)
	annTok := strings.TrimSpace(mustRun(t, "", append([]string{"token", "create", "--user", "ann", "--name", "kill-test", "--db", db}, keyFlag...)...).stdout)

	key := bytes.Repeat([]byte{7}, 32)
	rc := &receiver{secret: "whsec_" + base64.StdEncoding.EncodeToString(key), ids: map[string]map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	inbox := channeltest.NewInbox(t)
	hook := "http://" + ln.Addr().String() + "/hook/"
	st := storetest.OpenAt(t, db, storetest.Options{})
	conn := st.Writer()
	addSubscribers(t, conn, hook, rc.secret, killHooks, killMails)

	// E-mail is rate-limited so that both channels are caught mid-send.
	flags := append([]string{"--rate-webhook", "0", "--rate-email", "400", "--smtp-url", inbox.URL(),
		"--delivery-takeover", "3s", "--base-url", "http://127.0.0.1:9"}, keyFlag...)
	first := startServe(t, db, flags...)
	base := "http://" + first.addr
	id := apiPublish(t, base, edTok, annTok)

	deadline := time.Now().Add(3 * time.Minute)
	for rc.hits.Load() < 500 || inbox.Received() < 200 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d webhooks and %d e-mails arrived before the deadline\nstderr:\n%s", rc.hits.Load(), inbox.Received(), first.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	hooksAtKill, mailsAtKill := rc.hits.Load(), inbox.Received()
	var written int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = $1`, id).Scan(&written); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d of %d webhooks and %d of %d e-mails, %d delivery records written",
		hooksAtKill, killHooks, mailsAtKill, killMails, written)
	if hooksAtKill >= killHooks || mailsAtKill >= killMails {
		t.Fatalf("a channel had finished before the kill: the test proves nothing")
	}

	second := startServe(t, db, flags...)
	deadline = time.Now().Add(5 * time.Minute)
	for {
		var sent int
		if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = $1 AND state = 'sent'`, id).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if sent == killHooks+killMails {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d sent after the restart\nstderr:\n%s", sent, killHooks+killMails, second.stderr)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code := second.terminate(t); code != 0 {
		t.Errorf("serve exited %d after SIGTERM", code)
	}

	var records, recipients, other int
	if err := conn.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT recipient_id) FROM deliveries WHERE notice_id = $1`, id).Scan(&records, &recipients); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(`SELECT COUNT(*) FROM deliveries WHERE notice_id = $1 AND state <> 'sent'`, id).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if want := killHooks + killMails; records != want || recipients != want || other != 0 {
		t.Fatalf("%d records for %d recipients (%d not sent), want exactly one sent record each", records, recipients, other)
	}
	if bad := rc.bad.Load(); bad != 0 {
		t.Fatalf("%d webhooks failed signature or body checks", bad)
	}
	bound := delivery.New(delivery.Options{})

	// What the webhook endpoint got, per recipient.
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.ids) != killHooks {
		t.Fatalf("the webhook receiver saw %d recipients, want %d", len(rc.ids), killHooks)
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
	t.Logf("webhooks: %d repeats after the crash, each with its original webhook-id", repeats)
	if limit := bound.InFlight(channel.Webhook); repeats > limit {
		t.Errorf("%d webhooks arrived twice, want at most the %d in-flight sends", repeats, limit)
	}

	// What the SMTP server got, per recipient.
	mails := inbox.Mail()
	got := map[string]map[string]int{} // address → Message-ID → times
	for _, m := range mails {
		if len(m.To) != 1 {
			t.Fatalf("an e-mail went to %v, want one recipient", m.To)
		}
		mid := ""
		for _, line := range strings.Split(m.Data, "\n") {
			if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
				mid = v
				break
			}
		}
		if got[m.To[0]] == nil {
			got[m.To[0]] = map[string]int{}
		}
		got[m.To[0]][mid]++
	}
	if len(got) != killMails {
		t.Fatalf("the SMTP server saw %d recipients, want %d", len(got), killMails)
	}
	repeats = 0
	for who, ids := range got {
		if len(ids) != 1 {
			t.Fatalf("%s got %d different Message-IDs: %v", who, len(ids), ids)
		}
		for _, n := range ids {
			repeats += n - 1
		}
	}
	t.Logf("e-mail: %d repeats after the crash, each with its original Message-ID", repeats)
	if limit := bound.InFlight(channel.Email); repeats > limit {
		t.Errorf("%d e-mails arrived twice, want at most the %d in-flight sends", repeats, limit)
	}
}

// addSubscribers writes active webhook and e-mail subscribers straight
// into the database, as an admin's import would: staff-made endpoints may
// use the loopback address.
func addSubscribers(t *testing.T, conn *sql.DB, hook, secret string, hooks, mails int) {
	t.Helper()
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO subscribers (channel, address, language, status, source, secret, token, created_at, confirmed_at, updated_at)
		VALUES ($1, $2, 'en', 'active', 'import', $3, $4, $5, $5, $5)`)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	step, left := (hooks+mails)/max(mails, 1), mails
	for i := range hooks + mails {
		ch, addr, sec := "webhook", fmt.Sprintf("%s%d", hook, i), secret
		if left > 0 && i%step == 0 {
			ch, addr, sec = "email", fmt.Sprintf("k%d@example.org", i), ""
			left--
		}
		if _, err := stmt.Exec(ch, addr, sec, fmt.Sprintf("kill-token-%d", i), now); err != nil {
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
