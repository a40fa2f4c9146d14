package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
)

// History sizes a synthetic past for the evaluation benchmarks.
type History struct {
	Years      int
	Crises     int
	Notices    int // spread evenly over the crises
	Recipients int // deliveries per public notice
	Drills     int
	End        time.Time // the newest crisis occurs before it
}

// TenYears is the benchmark's history: 2,000 crises, 50,000 notices and
// 200 drills over ten years, each public notice delivered to 10.
func TenYears(end time.Time) History {
	return History{Years: 10, Crises: 2000, Notices: 50000, Recipients: 10, Drills: 200, End: end}
}

// Lessons written in the three languages, so that the library has
// something to find in each.
var lessonTexts = []string{
	"颱風過後先清理排水渠，再開放道路。",
	"台风过后先清理排水渠，再开放道路。",
	"Clear the storm drains after the typhoon before reopening roads.",
	"疏散路線要預先公布，並在通告內附上地圖。",
	"疏散路线要预先公布，并在通告内附上地图。",
	"Publish evacuation routes in advance, with a map in the notice.",
	"醫院備用電源每季測試一次。",
	"Test the hospitals' backup power every quarter.",
}

// SeedHistory writes h into st with bulk inserts, bypassing the services
// (which would take hours at this size): closed crises with their clocks,
// published notices with corrections and deliveries, reviews with
// lessons, and drills with reports and actions. It returns the number of
// rows written.
func SeedHistory(tb testing.TB, st *store.Store, h History) int {
	tb.Helper()
	ctx := context.Background()
	if _, err := st.SeedCatalog(ctx); err != nil {
		tb.Fatal(err)
	}
	u, err := st.Accounts().CreateUser(ctx, authz.System(authz.SourceCLI, "bench"), account.NewUser{Name: "history", Role: authz.Commander,
		Password: "correct horse battery"})
	if err != nil {
		tb.Fatal(err)
	}
	types, err := st.Plans().Types(ctx)
	if err != nil || len(types) == 0 {
		tb.Fatalf("types: %v", err)
	}
	b := &bulk{tb: tb, st: st}
	start := h.End.AddDate(-h.Years, 0, 0)
	span := h.End.Sub(start)
	plans := make([]int64, len(types))
	for i, t := range types {
		plans[i] = int64(i + 1)
		b.add("plans", []string{"id", "code", "version", "type_id", "status", "title", "body", "author_id", "created_at", "updated_at"},
			plans[i], "plan-"+t.Code, 1, t.ID, "approved", "Plan for "+t.Code, "{}", u.ID, start, start)
	}
	b.flush()
	perCrisis := max(1, h.Notices/h.Crises)
	noticeID := int64(0)
	for i := range h.Crises {
		id := int64(i + 1)
		k := i % len(types)
		occ := start.Add(time.Duration(int64(span) / int64(h.Crises) * int64(i))).Truncate(time.Second)
		act := occ.Add(time.Duration(5+i*7%120) * time.Minute)
		first := occ.Add(time.Duration(5+i*11%55) * time.Minute)
		closed := occ.Add(72 * time.Hour)
		exercise := i%10 == 0
		b.add("crises", []string{"id", "title", "type_id", "level", "status", "exercise", "location", "summary", "occurred_at", "detected_at",
			"declared_at", "declared_by", "plan_id", "activated_at", "first_notice_at", "closed_at", "closing_note", "created_at", "updated_at"},
			id, fmt.Sprintf("Crisis %d: %s", id, types[k].Code), types[k].ID, 1+i%4, "closed", exercise, "Harbour district",
			lessonTexts[i%len(lessonTexts)], occ, occ, occ, u.ID, plans[k], act, first, closed, "Closed after the all-clear.", occ, closed)
		clocks := []struct {
			kind, name string
			due, met   time.Time
		}{
			{"activation", "activation", occ.Add(24 * time.Hour), act},
			{"first_notice", "first_notice", occ.Add(30 * time.Minute), first},
			{"cadence", "cadence", first.Add(2 * time.Hour), first.Add(time.Duration(60+i*13%120) * time.Minute)},
			{"task", "task:1", act.Add(time.Hour), act.Add(time.Duration(20+i*17%80) * time.Minute)},
			{"task", "task:2", act.Add(4 * time.Hour), time.Time{}},
		}
		for _, c := range clocks {
			var met any
			if !c.met.IsZero() {
				met = c.met
			}
			b.add("crisis_clocks", []string{"crisis_id", "kind", "name", "started_at", "due_at", "met_at"}, id, c.kind, c.name, occ, c.due, met)
		}
		b.add("crisis_reviews", []string{"crisis_id", "lessons", "action_items", "updated_at", "due_at"}, id,
			lessonTexts[(i+3)%len(lessonTexts)]+" "+lessonTexts[(i+5)%len(lessonTexts)], "[]", closed, closed.Add(30*24*time.Hour))
		for n := range perCrisis {
			noticeID++
			at := first.Add(time.Duration(n*30) * time.Minute)
			kind, ref, reason := "update", any(nil), ""
			switch {
			case n == 0:
				kind = "alert"
			case n%20 == 0:
				kind, ref, reason = "correction", noticeID-1, "factual"
			}
			audience := "public"
			if n%10 == 9 {
				audience = "internal"
			}
			text := lessonTexts[(i+n)%len(lessonTexts)]
			contents, _ := json.Marshal([]map[string]string{
				{"language": "zh-Hant", "headline": "颱風消息 " + strconv.Itoa(n), "body": text},
				{"language": "en", "headline": "Typhoon update " + strconv.Itoa(n), "body": lessonTexts[(i+n+2)%len(lessonTexts)]},
			})
			b.add("notices", []string{"id", "crisis_id", "kind", "audience", "status", "exercise", "contents", "cap", "references_id",
				"correction_reason", "author_id", "published_at", "created_at", "updated_at"},
				noticeID, id, kind, audience, "published", exercise, string(contents), "{}", ref, reason, u.ID, at, at, at)
			if audience == "public" {
				for r := range h.Recipients {
					state, sent := "sent", any(at.Add(time.Duration(r*10)*time.Second))
					if r == h.Recipients-1 && i%3 == 0 {
						state, sent = "failed", nil
					}
					b.add("deliveries", []string{"notice_id", "recipient_kind", "recipient_id", "channel", "address", "language", "state",
						"next_attempt_at", "sent_at", "created_at"}, noticeID, "subscriber", r+1, "email", "x@example.org", "en", state, at, sent, at)
				}
			}
		}
	}
	for i := range h.Drills {
		id := int64(i + 1)
		k := i % len(types)
		at := start.Add(time.Duration(int64(span) / int64(h.Drills) * int64(i))).Truncate(time.Second)
		b.add("drills", []string{"id", "title", "plan_id", "type_id", "kind", "level", "state", "starts_at", "ends_at", "controller_id",
			"author_id", "body", "safety", "started_at", "ended_at", "created_at", "updated_at"},
			id, "Drill "+strconv.Itoa(i+1), plans[k], types[k].ID, "tabletop", 1+i%4, "evaluated", at, at.Add(3*time.Hour), u.ID, u.ID,
			"{}", "{}", at, at.Add(3*time.Hour), at, at)
		b.add("drill_reports", []string{"drill_id", "summary", "strengths", "improvements", "ratings", "updated_at"}, id,
			lessonTexts[i%len(lessonTexts)], `["Radios worked"]`, `["Approvals were slow","`+lessonTexts[(i+1)%len(lessonTexts)]+`"]`,
			`[{"objective":"First notice","rating":"performed"},{"objective":"Shelters","rating":"some_challenges"}]`, at.Add(48*time.Hour))
		for a := range 3 {
			state, done := "verified", any(at.Add(time.Duration(5+a*10)*24*time.Hour))
			if a == 2 {
				state, done = "open", nil
			}
			b.add("actions", []string{"source_kind", "source_id", "text", "owner_id", "due", "link_kind", "link_ref", "state", "done_at", "created_at"},
				"drill", id, "Action "+strconv.Itoa(a), u.ID, at.Add(14*24*time.Hour), "plan_step", "r1", state, done, at)
		}
	}
	b.flush()
	return b.rows
}

// seedOrder is the order buffered tables are written in, parents first.
var seedOrder = []string{"plans", "crises", "crisis_clocks", "crisis_reviews", "notices", "deliveries", "drills", "drill_reports", "actions"}

// bulk batches rows per table into multi-row inserts; when one table's
// batch is full, every table is written, parents first.
type bulk struct {
	tb      testing.TB
	st      *store.Store
	cols    map[string][]string
	pending map[string][][]any
	rows    int
}

func (b *bulk) add(table string, cols []string, vals ...any) {
	if b.pending == nil {
		b.cols, b.pending = map[string][]string{}, map[string][][]any{}
	}
	b.cols[table] = cols
	b.pending[table] = append(b.pending[table], vals)
	if len(b.pending[table])*len(cols) >= 6000 {
		b.flush()
	}
}

func (b *bulk) flush() {
	err := b.st.InTx(context.Background(), func(tx *store.Tx) error {
		for _, table := range seedOrder {
			rows, cols := b.pending[table], b.cols[table]
			if len(rows) == 0 {
				continue
			}
			var sb strings.Builder
			args := make([]any, 0, len(rows)*len(cols))
			sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
			for i, row := range rows {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteByte('(')
				for j, v := range row {
					if j > 0 {
						sb.WriteString(", ")
					}
					args = append(args, v)
					sb.WriteString("$" + strconv.Itoa(len(args)))
				}
				sb.WriteByte(')')
			}
			if _, err := tx.Exec(context.Background(), sb.String(), args...); err != nil {
				return fmt.Errorf("seed %s: %w", table, err)
			}
			b.rows += len(rows)
			b.pending[table] = rows[:0]
		}
		return nil
	})
	if err != nil {
		b.tb.Fatal(err)
	}
}
