// Command visible measures publish-to-visible latency: how long after a
// notice is published it shows on the public page "/" and arrives as an
// event on the crisis's live stream (Server-Sent Events).
//
// It boots a real crisisdesk on 127.0.0.1 (port 0) over a fresh SQLite file,
// or over the PostgreSQL database -db names, loads the demo, follows the
// typhoon's event stream with an API token, polls "/" without pause, and
// publishes -n notices one after another; then it prints percentiles.
// With -replicas 2 (PostgreSQL only) the notices are published through a
// second store on the same database, so that the change reaches the
// serving replica over LISTEN/NOTIFY, as it does between replicas.
//
//	go run ./bench/visible                    # 200 notices on SQLite
//	go run ./bench/visible -db 'postgres://…' -replicas 2
//
// The clock starts just before Publish is called, after the notice was
// drafted, submitted and approved. Everything stays on loopback, and the
// run ends by itself (-timeout bounds it).
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/config"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

func main() {
	n := flag.Int("n", 200, "how many notices to publish")
	gap := flag.Duration("gap", 50*time.Millisecond, "pause between one notice being seen and the next publish")
	db := flag.String("db", "", "database DSN (default: a SQLite file in a temporary directory)")
	replicas := flag.Int("replicas", 1, "1, or 2 to publish through a second store on the same PostgreSQL database")
	timeout := flag.Duration("timeout", 5*time.Minute, "bound on the whole run")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, *n, *gap, *db, *replicas); err != nil {
		fmt.Fprintln(os.Stderr, "visible:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, gap time.Duration, dsn string, replicas int) error {
	if n < 1 || replicas < 1 || replicas > 2 {
		return errors.New("-n must be at least 1 and -replicas 1 or 2")
	}
	if dsn == "" {
		if replicas == 2 {
			return errors.New("-replicas 2 needs -db with a PostgreSQL DSN")
		}
		dir, err := os.MkdirTemp("", "crisisdesk-visible-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "crisisdesk.db")
	}
	a, err := app.New(ctx, app.Options{Config: config.Config{DB: dsn, Addr: "127.0.0.1:0", AdminPassword: randomHex(12),
		LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5 * time.Second, FastPath: true}})
	if err != nil {
		return fmt.Errorf("boot: %w", err)
	}
	defer a.Stop(context.Background())
	if _, err := demo.Load(ctx, a.Store, a.Store.Clock().Now(), io.Discard); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := a.Start(ctx); err != nil {
		return err
	}
	base := "http://" + a.Addr()

	publisher := a.Store
	if replicas == 2 {
		if a.Store.Engine() != store.Postgres {
			return errors.New("-replicas 2 needs PostgreSQL")
		}
		if publisher, err = store.Open(ctx, dsn, store.Options{Live: live.NewBroker()}); err != nil {
			return fmt.Errorf("second replica: %w", err)
		}
		defer publisher.Close()
	}
	w, err := newWriter(ctx, publisher)
	if err != nil {
		return err
	}
	token, err := apiToken(ctx, a.Store)
	if err != nil {
		return err
	}
	events, err := follow(ctx, base, w.crisis.ID, token)
	if err != nil {
		return err
	}
	page := newPoller(ctx, base+"/")

	runID := randomHex(4)
	// Warm up until a notice shows on both: the stream is open and, with two
	// replicas, the serving one listens for the other's changes.
	for i := 0; ; i++ {
		if ctx.Err() != nil {
			return errors.New("no warm-up notice became visible")
		}
		if _, _, err := w.measure(ctx, fmt.Sprintf("Warm-up %s-%d", runID, i), page, events, 2*time.Second); err == nil {
			break
		}
	}
	var pageLat, sseLat []time.Duration
	for i := range n {
		p, s, err := w.measure(ctx, fmt.Sprintf("Bench notice %s-%d", runID, i), page, events, 10*time.Second)
		if err != nil {
			return fmt.Errorf("notice %d: %w", i, err)
		}
		pageLat, sseLat = append(pageLat, p), append(sseLat, s)
		time.Sleep(gap)
	}
	fmt.Printf("publish-to-visible, %d notices, %s, %d replica(s), %s\n", n, a.Store.Engine(), replicas, page.stats())
	fmt.Printf("%-22s %9s %9s %9s %9s\n", "", "p50", "p90", "p99", "max")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"public page /", pageLat}, {"SSE crisis stream", sseLat}} {
		slices.Sort(row.d)
		fmt.Printf("%-22s %9s %9s %9s %9s\n", row.name, ms(pct(row.d, 50)), ms(pct(row.d, 90)), ms(pct(row.d, 99)), ms(row.d[len(row.d)-1]))
	}
	return nil
}

// writer drafts, approves and publishes notices on the demo's typhoon.
type writer struct {
	notices          notice.Service
	crisis           crisis.Crisis
	editor, approver authz.Actor
}

func newWriter(ctx context.Context, st *store.Store) (*writer, error) {
	w := &writer{notices: st.Notices()}
	for name, a := range map[string]*authz.Actor{"chan.editor": &w.editor, "wong.approver": &w.approver} {
		u, err := st.Accounts().UserByName(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", name, err)
		}
		*a = u.Actor(authz.SourceAPI)
	}
	cs, _, err := st.Crises().List(ctx, crisis.Filter{Open: true, Limit: 10})
	if err != nil || len(cs) == 0 {
		return nil, fmt.Errorf("the demo's open crisis: %v", err)
	}
	w.crisis = cs[0]
	return w, nil
}

// measure publishes one notice headed headline and returns how long it
// took to show on the page and on the stream.
func (w *writer) measure(ctx context.Context, headline string, page *poller, events <-chan sseEvent, limit time.Duration) (time.Duration, time.Duration, error) {
	now := time.Now()
	n, err := w.notices.Create(ctx, w.editor, notice.Notice{CrisisID: w.crisis.ID, Kind: notice.Update, Audience: notice.Public,
		Contents: []notice.Content{{Language: "en", Headline: headline, Body: "Measuring how fast a notice reaches the public.",
			Instruction: "No action needed.", Contact: "Hotline 1823"}},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
			Effective: now, Expires: now.Add(time.Hour), Area: notice.Area{Description: "Harbour district"}}})
	if err != nil {
		return 0, 0, fmt.Errorf("draft: %w", err)
	}
	if n, err = w.notices.Submit(ctx, w.editor, n.ID, ""); err != nil {
		return 0, 0, fmt.Errorf("submit: %w", err)
	}
	if n, err = w.notices.Approve(ctx, w.approver, n.ID, ""); err != nil {
		return 0, 0, fmt.Errorf("approve: %w", err)
	}
	seen := page.watch(headline)
	start := time.Now()
	if _, err := w.notices.Publish(ctx, w.approver, n.ID); err != nil {
		return 0, 0, fmt.Errorf("publish: %w", err)
	}
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	var onPage, onStream time.Duration
	for onPage == 0 || onStream == 0 {
		select {
		case at := <-seen:
			onPage = at.Sub(start)
		case e, ok := <-events:
			if !ok {
				return 0, 0, errors.New("the event stream ended")
			}
			if e.Type == "notice" && e.ID == n.ID {
				onStream = e.at.Sub(start)
			}
		case <-deadline.C:
			return 0, 0, fmt.Errorf("not visible within %s (page %s, stream %s)", limit, onPage, onStream)
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		}
	}
	return onPage, onStream, nil
}

// apiToken creates a token for the demo's observer, who may follow a
// crisis's events.
func apiToken(ctx context.Context, st *store.Store) (string, error) {
	u, err := st.Accounts().UserByName(ctx, "observer")
	if err != nil {
		return "", fmt.Errorf("demo observer: %w", err)
	}
	secret, _, err := st.Accounts().CreateToken(ctx, authz.System(authz.SourceCLI, "bench"), u.ID, "publish-to-visible benchmark")
	return secret, err
}

// sseEvent is one event of the stream and when it arrived.
type sseEvent struct {
	Type string `json:"type"`
	ID   int64  `json:"id"`
	at   time.Time
}

// follow opens the crisis's event stream and sends its events, stamped
// on arrival, until ctx ends.
func follow(ctx context.Context, base string, crisisID int64, token string) (<-chan sseEvent, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/v1/crises/%d/events", base, crisisID), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, fmt.Errorf("event stream: %s", res.Status)
	}
	out := make(chan sseEvent, 1024)
	go func() {
		defer close(out)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			e := sseEvent{at: time.Now()}
			if json.Unmarshal([]byte(data), &e) == nil {
				out <- e
			}
		}
	}()
	return out, nil
}

// poller fetches a page again and again, as a reader pressing reload
// would, and tells when a watched text first shows.
type poller struct {
	want     atomic.Pointer[watch]
	requests atomic.Int64
	started  time.Time
}

type watch struct {
	text string
	seen chan time.Time
}

func newPoller(ctx context.Context, url string) *poller {
	p := &poller{started: time.Now()}
	client := &http.Client{Timeout: 10 * time.Second}
	go func() {
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			req.Header.Set("Accept-Language", "en")
			res, err := client.Do(req)
			if err != nil {
				continue
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			at := time.Now()
			p.requests.Add(1)
			if w := p.want.Load(); w != nil && strings.Contains(string(body), w.text) && p.want.CompareAndSwap(w, nil) {
				w.seen <- at
			}
		}
	}()
	return p
}

// watch starts looking for text; the channel receives when it showed.
func (p *poller) watch(text string) <-chan time.Time {
	w := &watch{text: text, seen: make(chan time.Time, 1)}
	p.want.Store(w)
	return w.seen
}

func (p *poller) stats() string {
	return fmt.Sprintf("page polled %.0f times/s", float64(p.requests.Load())/time.Since(p.started).Seconds())
}

// pct returns the p-th percentile of sorted d (nearest rank).
func pct(d []time.Duration, p int) time.Duration {
	i := (p*len(d)+99)/100 - 1
	return d[max(0, min(i, len(d)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
