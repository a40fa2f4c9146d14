package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/config"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// replicaSubscribers is how many webhook subscribers the two replicas
// share out.
const replicaSubscribers = 4000

const replicaSecret = "whsec_cmVwbGljYXJlcGxpY2FyZXBsaWNhcmVwbGljYTA="

// hookLog is a webhook receiver that verifies every signature and records
// which webhook-ids each recipient was sent.
type hookLog struct {
	bad  atomic.Int64
	mu   sync.Mutex
	why  string
	seen map[string]map[string]int // recipient → webhook-id → times
}

func (h *hookLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = webhook.Verify([]string{replicaSecret}, r.Header, body, time.Now(), 5*time.Minute)
	}
	var p struct {
		Recipient string `json:"recipient"`
	}
	if err == nil {
		if err = json.Unmarshal(body, &p); err == nil && p.Recipient == "" {
			err = fmt.Errorf("no recipient in %s", body)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.bad.Add(1)
		h.why = err.Error()
		http.Error(w, "refused", http.StatusBadRequest)
		return
	}
	id := r.Header.Get("webhook-id")
	if h.seen[p.Recipient] == nil {
		h.seen[p.Recipient] = map[string]int{}
	}
	h.seen[p.Recipient][id]++
	w.WriteHeader(http.StatusNoContent)
}

// bootReplica starts one crisisdesk on the shared database, with the
// audit key file the replicas share. One delivery
// job at a time and a per-replica webhook rate limit keep either replica
// from finishing the notice alone before the other joins in.
func bootReplica(t *testing.T, dsn, keyFile string) *app.App {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{
		DB: dsn, Addr: "127.0.0.1:0", AdminPassword: testPassword, ShutdownTimeout: 10 * time.Second,
		RateWebhook: 250, DeliveryWorkers: 1, DeliveryTakeover: 30 * time.Second, FastPath: true,
		MetricsAddr: "127.0.0.1:0", AuditKeyFile: keyFile,
	}, JobPollInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("stop replica: %v", err)
		}
	})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

// sentCount reads a replica's own count of webhooks sent from its
// /metrics.
func sentCount(t *testing.T, a *app.App) int {
	t.Helper()
	resp, err := http.Get("http://" + a.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), `crisisdesk_deliveries_total{channel="webhook",outcome="sent"} `); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric value %q: %v", v, err)
			}
			return int(n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestTwoReplicasDeliverOneNoticeOnce runs two crisisdesk replicas on one
// PostgreSQL database, publishes a notice to a few thousand webhook
// subscribers and checks that together they reached every recipient
// exactly once (a repeat only under the same webhook-id), and that both
// did part of the sending.
func TestTwoReplicasDeliverOneNoticeOnce(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres) // skips without a test server
	t.Parallel()
	ctx := context.Background()
	hooks := &hookLog{seen: map[string]map[string]int{}}
	srv := httptest.NewServer(hooks)
	t.Cleanup(srv.Close)

	keyFile := filepath.Join(t.TempDir(), "audit.key")
	first := bootReplica(t, dsn, keyFile) // migrates the schema, makes and adopts the audit key
	second := bootReplica(t, dsn, keyFile)
	st := first.Store

	sys := authz.System(authz.SourceCLI, "replica-test")
	actors := map[authz.Role]authz.Actor{}
	for _, role := range []authz.Role{authz.Editor, authz.Approver} {
		u, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "replica-" + string(role), DisplayName: string(role),
			Role: role, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		actors[role] = u.Actor(authz.SourceUI)
	}
	rows := make([]subscriber.Subscriber, replicaSubscribers)
	for i := range rows {
		rows[i] = subscriber.Subscriber{Channel: channel.Webhook, Address: fmt.Sprintf("%s/hook/%d", srv.URL, i),
			Language: "en", Source: subscriber.FromImport, Secret: replicaSecret}
	}
	rep, err := st.Subscribers().Import(ctx, sys, rows, subscriber.ImportReport{Rows: len(rows)})
	if err != nil || rep.Imported != replicaSubscribers {
		t.Fatalf("import: %+v %v", rep, err)
	}

	ns := st.Notices()
	n, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{{Language: "en", Headline: "Gas leak on Queen's Road", Body: "The road is closed.",
			Instruction: "Keep away."}},
		CAP: notice.CAPInfo{Event: "Gas leak", Category: "Safety", Urgency: "Immediate", Severity: "Moderate",
			Certainty: "Observed", Area: notice.Area{Description: "Central"}}})
	if err == nil {
		_, err = ns.Submit(ctx, actors[authz.Editor], n.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(ctx, actors[authz.Approver], n.ID, "")
	}
	if err == nil {
		// Published through the second replica; the first may well take
		// the fan-out.
		_, err = second.Store.Notices().Publish(ctx, actors[authz.Approver], n.ID)
	}
	if err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(3 * time.Minute)
	for {
		var sent, other int
		if err := st.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE state = 'sent'), COUNT(*) FILTER (WHERE state <> 'sent')
			FROM deliveries WHERE notice_id = $1 AND channel = 'webhook'`, n.ID).Scan(&sent, &other); err != nil {
			t.Fatal(err)
		}
		var gaveUp int
		var why string
		if err := st.Writer().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(last_error), '') FROM deliveries
			WHERE notice_id = $1 AND state = 'gave_up'`, n.ID).Scan(&gaveUp, &why); err != nil {
			t.Fatal(err)
		}
		if gaveUp > 0 {
			t.Fatalf("%d deliveries gave up, e.g. %s", gaveUp, why)
		}
		if sent == replicaSubscribers {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d webhooks recorded sent (%d other) after the deadline; receiver refusals: %d (%s)",
				sent, replicaSubscribers, other, hooks.bad.Load(), hooks.why)
		}
		time.Sleep(200 * time.Millisecond)
	}

	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	if bad := hooks.bad.Load(); bad > 0 {
		t.Fatalf("%d webhooks failed the receiver's checks, e.g. %s", bad, hooks.why)
	}
	if len(hooks.seen) != replicaSubscribers {
		t.Fatalf("the receiver saw %d recipients, want %d", len(hooks.seen), replicaSubscribers)
	}
	arrived := 0
	for who, ids := range hooks.seen {
		if len(ids) != 1 {
			t.Fatalf("recipient %s was sent %d different webhook-ids: %v", who, len(ids), ids)
		}
		for _, c := range ids {
			arrived += c
		}
	}

	// Each replica counts its own sends: both took part, and together
	// they account for every arrival.
	a, b := sentCount(t, first), sentCount(t, second)
	t.Logf("first replica sent %d, second %d; %d arrivals for %d recipients", a, b, arrived, replicaSubscribers)
	if a == 0 || b == 0 {
		t.Fatalf("one replica sent nothing (first %d, second %d)", a, b)
	}
	if a+b != arrived {
		t.Fatalf("the replicas count %d sends, the receiver %d arrivals", a+b, arrived)
	}
	// River agrees: the webhook send jobs ran on both clients.
	var clients int
	if err := st.Writer().QueryRowContext(ctx, `SELECT COUNT(DISTINCT c) FROM river_job, unnest(attempted_by) AS c
		WHERE kind = 'delivery_send' AND args->>'channel' = 'webhook' AND (args->>'notice_id')::bigint = $1`, n.ID).Scan(&clients); err != nil {
		t.Fatal(err)
	}
	if clients < 2 {
		t.Fatalf("the webhook send jobs ran on %d River client(s), want both replicas", clients)
	}
}

// TestTwoReplicasFanOutOneNoticeTogether runs the fan-out of one notice on
// two replicas at once, as after a takeover of a fan-out that was only
// slow: both finish without error and every subscriber has one record.
func TestTwoReplicasFanOutOneNoticeTogether(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres) // skips without a test server
	t.Parallel()
	ctx := context.Background()
	replicas := make([]*app.App, 2)
	keyFile := filepath.Join(t.TempDir(), "audit.key")
	for i := range replicas {
		// Not started: no River worker takes the fan-out job, the test
		// runs the fan-out itself on both.
		a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{DB: dsn, Addr: "127.0.0.1:0", AdminPassword: testPassword, FastPath: true,
			AuditKeyFile: keyFile}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Stop(context.Background()) })
		replicas[i] = a
	}
	st := replicas[0].Store
	const subscribers = 32_000 // seven batches of the engine's 5,000
	if _, err := st.Writer().ExecContext(ctx, `INSERT INTO subscribers (channel, address, language, status, source, token,
		created_at, confirmed_at, updated_at)
		SELECT 'email', 'reader' || x || '@example.org', 'en', 'active', 'import', 'token-' || x, $1, $1, $1
		FROM generate_series(1, $2::bigint) AS x`, time.Now(), subscribers); err != nil {
		t.Fatal(err)
	}
	sys := authz.System(authz.SourceCLI, "replica-test")
	actors := map[authz.Role]authz.Actor{}
	for _, role := range []authz.Role{authz.Editor, authz.Approver} {
		u, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "fanout-" + string(role), DisplayName: string(role),
			Role: role, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		actors[role] = u.Actor(authz.SourceUI)
	}
	ns := st.Notices()
	n, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{{Language: "en", Headline: "Road closed", Body: "Queen's Road is closed.", Instruction: "Keep away."}},
		CAP: notice.CAPInfo{Event: "Road closure", Category: "Transport", Urgency: "Immediate", Severity: "Minor",
			Certainty: "Observed", Area: notice.Area{Description: "Central"}}})
	if err == nil {
		_, err = ns.Submit(ctx, actors[authz.Editor], n.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(ctx, actors[authz.Approver], n.ID, "")
	}
	if err == nil {
		_, err = ns.Publish(ctx, actors[authz.Approver], n.ID)
	}
	if err != nil {
		t.Fatal(err)
	}

	errs := make(chan error, len(replicas))
	for _, a := range replicas {
		go func() { errs <- a.Delivery.Fanout(ctx, n.ID) }()
	}
	for range replicas {
		if err := <-errs; err != nil {
			t.Fatalf("a replica's fan-out: %v", err)
		}
	}
	var records, recipients int
	if err := st.Writer().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT recipient_id) FROM deliveries
		WHERE notice_id = $1 AND recipient_kind = 'subscriber'`, n.ID).Scan(&records, &recipients); err != nil {
		t.Fatal(err)
	}
	if records != subscribers || recipients != subscribers {
		t.Fatalf("%d records for %d recipients, want one each for %d subscribers", records, recipients, subscribers)
	}
}
