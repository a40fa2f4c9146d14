package evaluation_test

import (
	"net/http"
	"net/url"
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
			rows := storetest.SeedHistory(b, e.Store, storetest.TenYears(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
			b.Logf("seeded %d rows in %s", rows, time.Since(began).Round(time.Millisecond))
			began = time.Now()
			n, err := e.Store.Lessons().Sync(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("library: %d documents indexed in %s", n, time.Since(began).Round(time.Millisecond))
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
