package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/message"
)

// benchSecret signs every bench webhook.
var benchSecret = "whsec_" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 32))

// window keeps the first and last moment something arrived.
type window struct {
	first, last atomic.Int64 // unix nanoseconds
}

func (w *window) mark() {
	now := time.Now().UnixNano()
	w.first.CompareAndSwap(0, now)
	for {
		l := w.last.Load()
		if now <= l || w.last.CompareAndSwap(l, now) {
			return
		}
	}
}

// span is the time from the first arrival to the last.
func (w *window) span() time.Duration { return time.Duration(w.last.Load() - w.first.Load()) }

// tally counts arrivals per recipient number, so that a run can check that
// each of 1..n was reached, and how many repeats there were.
type tally struct {
	seen []atomic.Int32
	out  atomic.Int64 // numbers outside 1..n
}

func newTally(n int) *tally { return &tally{seen: make([]atomic.Int32, n+1)} }

func (t *tally) add(id int64) {
	if id < 1 || id >= int64(len(t.seen)) {
		t.out.Add(1)
		return
	}
	t.seen[id].Add(1)
}

// check returns how many of 1..n were never reached and how many arrivals
// were repeats.
func (t *tally) check() (missing, repeats int) {
	for i := 1; i < len(t.seen); i++ {
		switch c := int(t.seen[i].Load()); {
		case c == 0:
			missing++
		case c > 1:
			repeats += c - 1
		}
	}
	return missing, repeats
}

// hookReceiver is the local webhook endpoint. It answers 204 at once,
// verifies the signature and body of one request in sampleEvery (all of
// them would make the receiver, not crisisdesk, the thing measured), and
// reads the recipient of every one.
type hookReceiver struct {
	tally   *tally
	win     window
	hits    atomic.Int64
	checked atomic.Int64
	bad     atomic.Int64
	mu      sync.Mutex
	badMsg  string
	srv     *http.Server
	url     string
}

const sampleEvery = 50

var recipientMark = []byte(`"recipient":"subscriber:`)

func startHookReceiver(n int) (*hookReceiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &hookReceiver{tally: newTally(n), url: "http://" + ln.Addr().String() + "/hook/"}
	h.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go h.srv.Serve(ln)
	return h, nil
}

// close stops the receiver once the requests under way are answered.
func (h *hookReceiver) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = h.srv.Shutdown(ctx)
}

func (h *hookReceiver) fail(msg string) {
	h.bad.Add(1)
	h.mu.Lock()
	h.badMsg = msg
	h.mu.Unlock()
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.win.mark()
	if h.hits.Add(1)%sampleEvery == 0 {
		h.checked.Add(1)
		if err := webhook.Verify([]string{benchSecret}, r.Header, body, time.Now(), 5*time.Minute); err != nil {
			h.fail("signature: " + err.Error())
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p struct {
			Type      string `json:"type"`
			Recipient string `json:"recipient"`
		}
		if err := json.Unmarshal(body, &p); err != nil || !strings.HasPrefix(p.Type, "notice.") || p.Recipient == "" {
			h.fail(fmt.Sprintf("body: %v %q", err, p.Type))
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
	}
	if i := bytes.Index(body, recipientMark); i >= 0 {
		rest := body[i+len(recipientMark):]
		if j := bytes.IndexByte(rest, '"'); j > 0 {
			if id, err := strconv.ParseInt(string(rest[:j]), 10, 64); err == nil {
				h.tally.add(id)
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// hookLoad posts the notice's webhook body to the receiver from conc
// goroutines over a plain Go client for d, and returns requests/s. The
// body is what crisisdesk sends (the same renderer), signed once.
func hookLoad(ctx context.Context, url string, conc int, d time.Duration) (float64, error) {
	r, err := renderer()
	if err != nil {
		return 0, err
	}
	p, err := r.Prepare(benchNotice(), message.Links{Notice: "http://127.0.0.1:9/notices/1"})
	if err != nil {
		return 0, err
	}
	body := p.Body("subscriber:0")
	ts := time.Now()
	sig, err := webhook.Sign(benchSecret, "msg_0_s0_webhook", ts, body)
	if err != nil {
		return 0, err
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"0", bytes.NewReader(body))
				req.Header = http.Header{"Content-Type": {"application/json"}, "Webhook-Id": {"msg_0_s0_webhook"},
					"Webhook-Timestamp": {strconv.FormatInt(ts.Unix(), 10)}, "Webhook-Signature": {sig}}
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					done.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("the receiver alone: %d of %d requests failed", f, f+done.Load())
	}
	return float64(done.Load()) / el.Seconds(), nil
}
