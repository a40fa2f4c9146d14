// Command feedback measures the public feedback intake under a surge: it
// starts the crisisdesk binary on a fresh SQLite database on loopback,
// posts questions to POST /api/v1/feedback from many connections for a
// fixed time, counts the submissions acknowledged (201 with a
// reference), stops crisisdesk, and checks in the database that every
// acknowledged reference is stored: none lost. It repeats this and prints
// each run and the median. bench/feedback.sh runs it.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"crisisdesk/internal/store"
)

func main() {
	bin := flag.String("bin", "", "the crisisdesk binary")
	runs := flag.Int("runs", 5, "runs")
	conns := flag.Int("conns", 128, "concurrent connections")
	dur := flag.Duration("duration", 10*time.Second, "length of each run")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "feedback: -bin is required")
		os.Exit(2)
	}
	var rates []float64
	for i := range *runs {
		r, err := run(*bin, *conns, *dur)
		if err != nil {
			fmt.Fprintf(os.Stderr, "run %d: %v\n", i+1, err)
			os.Exit(1)
		}
		fmt.Printf("run %d: %d acknowledged in %.1f s = %.0f/s, %d refused, %d stored, %d lost, p99 %.1f ms\n",
			i+1, r.acked, r.secs, float64(r.acked)/r.secs, r.refused, r.stored, r.lost, r.p99ms)
		if r.lost != 0 {
			fmt.Fprintln(os.Stderr, "feedback: acknowledged submissions were lost")
			os.Exit(1)
		}
		rates = append(rates, float64(r.acked)/r.secs)
	}
	slices.Sort(rates)
	fmt.Printf("median: %.0f submissions/s acknowledged durable (%d runs, %d connections, %s each)\n",
		rates[len(rates)/2], *runs, *conns, *dur)
}

type result struct {
	acked, refused, stored, lost int
	secs, p99ms                  float64
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func run(bin string, conns int, dur time.Duration) (result, error) {
	var res result
	dir, err := os.MkdirTemp("", "feedback-bench-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	addr, err := freePort()
	if err != nil {
		return res, err
	}
	db := "sqlite:" + filepath.Join(dir, "bench.db")
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--log-level", "warn", "--feedback-rate", "-1")
	cmd.Env = append(os.Environ(), "CRISISDESK_ADMIN_PASSWORD=bench-password-not-used-1")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return res, err
	}

	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	refs := make([]string, 0, 1<<16)
	var lat []time.Duration
	var refused atomic.Int64
	stop := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range conns {
		wg.Go(func() {
			var mine []string
			var ml []time.Duration
			for n := 0; time.Now().Before(stop); n++ {
				body, _ := json.Marshal(map[string]any{"message": fmt.Sprintf("Is the shelter at school %d open tonight? (%d)", c, n),
					"contact": fmt.Sprintf("p%d.%d@example.org", c, n), "language": "en"})
				t0 := time.Now()
				resp, err := client.Post(base+"/api/v1/feedback", "application/json", bytes.NewReader(body))
				if err != nil {
					refused.Add(1)
					continue
				}
				var out struct{ Ref string }
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated || err != nil || out.Ref == "" {
					refused.Add(1)
					continue
				}
				ml = append(ml, time.Since(t0))
				mine = append(mine, out.Ref)
			}
			mu.Lock()
			refs = append(refs, mine...)
			lat = append(lat, ml...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.secs = time.Since(start).Seconds()
	res.acked, res.refused = len(refs), int(refused.Load())
	slices.Sort(lat)
	if len(lat) > 0 {
		res.p99ms = float64(lat[len(lat)*99/100].Microseconds()) / 1000
	}
	tr.CloseIdleConnections()

	// Stop crisisdesk as an operator would, then read what it stored.
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		return res, fmt.Errorf("open the database: %w", err)
	}
	defer st.Close()
	stored := map[string]bool{}
	rows, err := st.Writer().QueryContext(context.Background(), `SELECT ref FROM feedback`)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return res, err
		}
		stored[ref] = true
	}
	rows.Close()
	res.stored = len(stored)
	for _, r := range refs {
		if !stored[r] {
			res.lost++
		}
	}
	return res, nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("crisisdesk at %s was not ready within a minute", base)
}
