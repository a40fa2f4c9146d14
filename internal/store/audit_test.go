package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// Record appends an entry that links into the chain like any change's, in
// order with the changes around it.
func TestAuditRecordAppendsToTheChain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		trail := st.Audit()
		u := mustUser(t, st, "exporter", authz.Admin) // entry 1
		who := u.Actor(authz.SourceUI)
		cases := []struct {
			name, action, entity, id string
			detail                   any
			wantAfter                string // compacted, keys sorted
		}{
			{"struct detail", "subscriber.export", "subscriber", "",
				struct {
					Rows   int               `json:"rows"`
					Filter map[string]string `json:"filter"`
				}{3, map[string]string{"channel": "email"}},
				`{"filter":{"channel":"email"},"rows":3}`},
			{"map detail", "channel.test", "channel", "sms",
				map[string]any{"ok": false, "address": "+852••••67", "error": "refused"},
				`{"address":"+852••••67","error":"refused","ok":false}`},
			{"no detail", "channel.test", "channel", "email", nil, `null`},
		}
		for i, c := range cases {
			if err := trail.Record(ctx, who, c.action, c.entity, c.id, c.detail); err != nil {
				t.Fatalf("%s: record: %v", c.name, err)
			}
			// A change in between keeps its place in the same chain.
			mustUser(t, st, fmt.Sprintf("between%d", i), authz.Observer)
		}
		entries, total, err := trail.List(ctx, audit.Filter{Limit: 100})
		if err != nil || total != 1+2*len(cases) {
			t.Fatalf("list: %d entries, %v", total, err)
		}
		bySeq := map[int64]audit.Entry{}
		for _, e := range entries {
			bySeq[e.Seq] = e
		}
		for i, c := range cases {
			e := bySeq[int64(2+2*i)]
			if e.Action != c.action || e.Entity != c.entity || e.EntityID != c.id ||
				e.ActorID != u.ID || e.Actor != "exporter" || e.Source != string(authz.SourceUI) {
				t.Errorf("%s: entry %+v", c.name, e)
			}
			if got := compactJSON(t, e.After); got != c.wantAfter {
				t.Errorf("%s: after %s, want %s", c.name, got, c.wantAfter)
			}
			if got := compactJSON(t, e.Before); got != "null" {
				t.Errorf("%s: before %s, want null", c.name, got)
			}
			if next := bySeq[e.Seq+1]; next.Action != "user.create" || next.PrevHash != e.Hash {
				t.Errorf("%s: the next entry %+v does not link to it", c.name, next)
			}
		}
		if n, err := trail.Verify(ctx); err != nil || n != int64(total) {
			t.Fatalf("verify: %d %v, want %d rows", n, err, total)
		}

		// A record that cannot be written leaves the chain as it was.
		gone, cancel := context.WithCancel(ctx)
		cancel()
		if err := trail.Record(gone, who, "subscriber.export", "subscriber", "", nil); err == nil {
			t.Fatal("record with a cancelled context succeeded")
		}
		if n, err := trail.Verify(ctx); err != nil || n != int64(total) {
			t.Fatalf("verify after a failed record: %d %v, want %d rows", n, err, total)
		}
	})
}

// Records made at once all land in one unbroken chain.
func TestAuditRecordConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		const n = 20
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- st.Audit().Record(ctx, cli, "channel.test", "channel", "email", map[string]int{"i": i})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("record: %v", err)
			}
		}
		if got, err := st.Audit().Verify(ctx); err != nil || got != n {
			t.Fatalf("verify: %d %v, want %d rows", got, err, n)
		}
	})
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("snapshot %q is not JSON: %v", raw, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
