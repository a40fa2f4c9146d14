package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestMigrateRepairsStoredText stores text that validation now refuses
// straight into the tables, as a database from before the rule holds it,
// runs the migration that repairs it, and checks that the text can be
// published, that each repair is on the audit trail and that a second run
// changes nothing.
func TestMigrateRepairsStoredText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		n := publish(t, o, publicNotice(0))
		c, err := o.st.Crises().Get(ctx, n.CrisisID)
		if err != nil {
			t.Fatal(err)
		}
		db := o.st.Writer()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// JSON columns carry the characters escaped, which PostgreSQL's
		// TEXT takes even for NUL; plain columns carry them raw.
		var contents, body string
		if err := db.QueryRowContext(ctx, `SELECT contents FROM notices WHERE id = $1`, n.ID).Scan(&contents); err != nil {
			t.Fatal(err)
		}
		contents = strings.Replace(contents, "Typhoon warning", `Typhoon\u000bwarning\u0000`, 1)
		contents = strings.Replace(contents, "Stay indoors.", `Stay indoors.\r\nAvoid\u2028the coast.\u001b`, 1)
		exec(`UPDATE notices SET contents = $1 WHERE id = $2`, contents, n.ID)
		exec(`UPDATE crises SET title = $1, summary = $2 WHERE id = $3`, "Typhoon\vSignal 8", "Gusts\r\nto 150\x7f km/h", c.ID)
		if err := db.QueryRowContext(ctx, `SELECT body FROM plans WHERE id = $1`, c.PlanID).Scan(&body); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE plans SET body = $1 WHERE id = $2`, strings.Replace(body, "Open shelters", `Open\fshelters\u0085now`, 1), c.PlanID)

		stored, err := o.st.Notices().Get(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := notice.Validate(stored); err == nil {
			t.Fatal("the damaged notice passes validation: the test damaged nothing")
		}

		exec(`DELETE FROM schema_migrations WHERE name = 'clean_text'`)
		applied, err := o.st.Migrate(ctx)
		if err != nil || len(applied) != 1 {
			t.Fatalf("migrate applied %v, err %v; want the text repair", applied, err)
		}

		got, err := o.st.Notices().Get(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		en := got.Content("en")
		if en.Headline != "Typhoon warning" || en.Body != "Stay indoors.\nAvoid\nthe coast." {
			t.Errorf("notice text after repair: %q / %q", en.Headline, en.Body)
		}
		if err := notice.Validate(got); err != nil {
			t.Errorf("repaired notice is still invalid: %v", err)
		}
		if zh := got.Content("zh-Hant"); zh.Headline != "颱風警告" {
			t.Errorf("untouched text changed: %q", zh.Headline)
		}
		gc, err := o.st.Crises().Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if gc.Title != "Typhoon Signal 8" || gc.Summary != "Gusts\nto 150 km/h" {
			t.Errorf("crisis after repair: %q / %q", gc.Title, gc.Summary)
		}
		p, err := o.st.Plans().Get(ctx, c.PlanID)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(p.Body.Steps, func(s plan.Step) bool { return s.Key == "r2" }); i < 0 || p.Body.Steps[i].Title != "Open shelters now" {
			t.Errorf("plan steps after repair: %+v", p.Body.Steps)
		}

		entries, _, err := o.st.Audit().List(ctx, audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		repaired := map[string]bool{}
		for _, e := range entries {
			if e.Action == "text.repair" {
				repaired[e.Entity+" "+e.EntityID] = true
				if e.Source != "system" {
					t.Errorf("repair of %s %s recorded from %s, want system", e.Entity, e.EntityID, e.Source)
				}
				if e.Entity == "notice" && !strings.Contains(string(e.Before), `\u000b`) {
					t.Errorf("repair of the notice does not keep the text before: %s", e.Before)
				}
			}
		}
		for _, want := range []string{"notice " + strconv.FormatInt(n.ID, 10), "crisis " + strconv.FormatInt(c.ID, 10), "plan " + strconv.FormatInt(c.PlanID, 10)} {
			if !repaired[want] {
				t.Errorf("no text.repair entry for %s; have %v", want, repaired)
			}
		}
		if len(repaired) != 3 {
			t.Errorf("repair entries for %v, want the notice, the crisis and the plan only", repaired)
		}
		if _, err := o.st.Audit().Verify(ctx); err != nil {
			t.Errorf("audit chain after the repair: %v", err)
		}

		exec(`DELETE FROM schema_migrations WHERE name = 'clean_text'`)
		if _, err := o.st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after, _, err := o.st.Audit().List(ctx, audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(entries) {
			t.Errorf("a second repair of clean text wrote %d audit entries", len(after)-len(entries))
		}
	})
}
