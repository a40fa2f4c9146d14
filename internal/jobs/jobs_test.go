package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/jobs"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// waitFor polls the job's state until it is final or the test's patience
// (not a timing assertion: a generous bound against hanging) runs out.
func waitFor(t *testing.T, st *store.Store, id int64) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		state, err := st.JobState(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		switch state {
		case "completed", "discarded", "cancelled":
			return state
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %d did not finish", id)
	return ""
}

func TestAuditVerifyJobEndToEnd(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		reg := prometheus.NewRegistry()
		m := jobs.NewMetrics(reg, st)
		r, err := jobs.New(ctx, jobs.Options{Store: st, Metrics: m, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r.Stop(sctx)
		})
		// A change and its job in one transaction.
		var id int64
		err = st.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.Audit(ctx, authz.System(authz.SourceSystem, "test"), "test.event", "test", "1", nil, map[string]int{"n": 1}); err != nil {
				return err
			}
			id, err = tx.Enqueue(ctx, jobs.AuditVerifyArgs{}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if state := waitFor(t, st, id); state != "completed" {
			t.Fatalf("audit verify job ended %s", state)
		}
		if v := gauge(t, m.ChainGauge()); v != 1 {
			t.Fatalf("chain gauge %v after intact check", v)
		}

		// Break the chain: the job reports it.
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			drop := `DROP TRIGGER audit_log_no_update`
			if engine == store.Postgres {
				drop = `DROP TRIGGER audit_log_no_change ON audit_log`
			}
			if _, err := tx.Exec(ctx, drop); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) (err error) { id, err = tx.Enqueue(ctx, jobs.AuditVerifyArgs{}, nil); return err }); err != nil {
			t.Fatal(err)
		}
		waitFor(t, st, id)
		if v := gauge(t, m.ChainGauge()); v != 0 {
			t.Fatalf("chain gauge %v after a broken check, want 0", v)
		}
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, mf := range mfs {
			found = found || (mf.GetName() == "crisisdesk_jobs_worked_total" && len(mf.GetMetric()) > 0)
		}
		if !found {
			t.Fatal("no crisisdesk_jobs_worked_total samples")
		}
	})
}

func TestPeriodicPurgeRunsOnStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t)
	if _, err := st.Accounts().CreateUser(ctx, authz.System(authz.SourceCLI, "t"), account.NewUser{Name: "u1", Role: authz.Observer, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	r, err := jobs.New(ctx, jobs.Options{Store: st, PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		counts, err := st.JobCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["completed"] > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the periodic purge job never completed")
}

func gauge(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}

// The nightly check and the crisisdesk_audit_chain_intact gauge verify the
// keyed chain with the store's key: cutting the newest rows and re-heading
// the chain, which a plain chain could not notice, turns the gauge to 0.
func TestAuditVerifyJobUsesTheKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{AuditKey: audit.NewKey()})
		sys := authz.System(authz.SourceSystem, "test")
		for i := range 3 {
			if err := st.Audit().Record(ctx, sys, "test.event", "test", "", map[string]int{"n": i}); err != nil {
				t.Fatal(err)
			}
		}
		reg := prometheus.NewRegistry()
		m := jobs.NewMetrics(reg, st)
		r, err := jobs.New(ctx, jobs.Options{Store: st, Metrics: m, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r.Stop(sctx)
		})
		check := func() float64 {
			t.Helper()
			var id int64
			if err := st.InTx(ctx, func(tx *store.Tx) (err error) { id, err = tx.Enqueue(ctx, jobs.AuditVerifyArgs{}, nil); return err }); err != nil {
				t.Fatal(err)
			}
			if state := waitFor(t, st, id); state != "completed" {
				t.Fatalf("audit verify job ended %s", state)
			}
			return gauge(t, m.ChainGauge())
		}
		if v := check(); v != 1 {
			t.Fatalf("chain gauge %v on an intact keyed chain", v)
		}
		// Cut the newest row and point the head at the new end, as one
		// who can write the database but not read the key would.
		drop := []string{`DROP TRIGGER audit_log_no_delete`}
		if engine == store.Postgres {
			drop = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
		}
		for _, q := range append(drop,
			`DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`,
			`UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log),
				hash = (SELECT hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)) WHERE id = 1`) {
			if _, err := st.Writer().ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if v := check(); v != 0 {
			t.Fatalf("chain gauge %v after the chain was cut and re-headed, want 0", v)
		}
	})
}
