package evaluation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/store/storetest"
)

// BenchmarkEvaluation measures, on ten years of synthetic history
// (storetest.TenYears: 2,000 crises, 50,000 notices with 10 deliveries
// each public one, 200 drills), the quarterly dashboard page and a
// full-text search of the lessons library in each language, through the
// real app over HTTP. bench/evaluation.sh runs it; docs/benchmarks.md
// has the figures.
func BenchmarkEvaluation(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			e := apptest.New(b, apptest.Options{Engine: engine})
			began := time.Now()
			h := storetest.TenYears(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			// EVAL_BENCH_SCALE shrinks the history (0.1: a tenth) for a quick check.
			if f, err := strconv.ParseFloat(os.Getenv("EVAL_BENCH_SCALE"), 64); err == nil && f > 0 && f < 1 {
				h.Crises, h.Notices, h.Drills = int(float64(h.Crises)*f), int(float64(h.Notices)*f), max(1, int(float64(h.Drills)*f))
			}
			rows := storetest.SeedHistory(b, e.Store, h)
			fmt.Fprintf(os.Stderr, "%s: seeded %d rows in %s\n", engine, rows, time.Since(began).Round(time.Millisecond))
			began = time.Now()
			n, err := e.Store.Lessons().Sync(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(os.Stderr, "%s: library of %d documents indexed in %s\n", engine, n, time.Since(began).Round(time.Millisecond))
			reviewer := e.SignIn(e.User("bench-reviewer", authz.Reviewer))
			get := func(b *testing.B, path string) {
				if res := reviewer.Get(path); res.Status != http.StatusOK {
					b.Fatalf("%s: %d", path, res.Status)
				}
			}
			b.Run("dashboard-quarter", func(b *testing.B) {
				for b.Loop() {
					get(b, "/desk/evaluation?period=2026-Q3")
				}
			})
			b.Run("dashboard-year", func(b *testing.B) {
				for b.Loop() {
					get(b, "/desk/evaluation?period=2026")
				}
			})
			for _, q := range []struct{ name, q string }{
				{"search-zh-Hant", "排水渠"}, {"search-zh-Hans", "疏散路线"}, {"search-en", "evacuation routes"}, {"search-2chars", "電源"},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						get(b, "/desk/lessons?q="+url.QueryEscape(q.q))
					}
				})
				b.Run(q.name+"-store", func(b *testing.B) {
					for b.Loop() {
						if _, err := e.Store.Lessons().Search(b.Context(), lessonsQuery(q.q)); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

func lessonsQuery(q string) lessons.Query { return lessons.Query{Text: q} }
