package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// keyedOffice is a database that had an audit trail before it had a key,
// as an upgraded office has: rows 1–2 plain, row 3 the key's adoption,
// rows 4–5 keyed.
func keyedOffice(t *testing.T, engine store.Engine) (*store.Store, string, audit.Key) {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t, engine)
	st := storetest.OpenAt(t, dsn, storetest.Options{})
	mustUser(t, st, "before1", authz.Observer)
	mustUser(t, st, "before2", authz.Observer)
	key := audit.NewKey()
	st.UseAuditKey(key)
	if err := st.AdoptAuditKey(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.AdoptAuditKey(ctx); err != nil {
		t.Fatalf("adopting the same key again: %v", err)
	}
	mustUser(t, st, "after1", authz.Observer)
	mustUser(t, st, "after2", authz.Observer)
	return st, dsn, key
}

// attacker is someone with write access to the database but not to the
// key file: it removes the guards and rewrites rows and the head with
// plain SQL, recomputing plain hashes.
type attacker struct {
	t      *testing.T
	st     *store.Store
	engine store.Engine
}

func (a attacker) exec(q string, args ...any) {
	a.t.Helper()
	if _, err := a.st.Writer().ExecContext(context.Background(), q, args...); err != nil {
		a.t.Fatalf("%s: %v", q, err)
	}
}

func (a attacker) dropGuards() {
	a.t.Helper()
	if a.engine == store.Postgres {
		a.exec(`DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log`)
		return
	}
	a.exec(`DROP TRIGGER IF EXISTS audit_log_no_update`)
	a.exec(`DROP TRIGGER IF EXISTS audit_log_no_delete`)
}

func (a attacker) entries() []audit.Entry {
	a.t.Helper()
	es, _, err := a.st.Audit().List(context.Background(), audit.Filter{Limit: 500})
	if err != nil {
		a.t.Fatal(err)
	}
	slices.Reverse(es)
	return es
}

// rehash changes the actor of row seq (0: none), recomputes the plain
// hashes and links of every row from `from` on, and sets the head to the
// new end.
func (a attacker) rehash(from, seq int64, actor string) {
	a.t.Helper()
	a.dropGuards()
	es := a.entries()
	for i := range es {
		e := &es[i]
		if e.Seq == seq {
			e.Actor = actor
		}
		if e.Seq < from {
			continue
		}
		if i > 0 {
			e.PrevHash = es[i-1].Hash
		}
		e.Hash = e.ComputeHash()
		a.exec(`UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE seq = $4`, e.Actor, e.PrevHash, e.Hash, e.Seq)
	}
	last := es[len(es)-1]
	a.exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, last.Seq, last.Hash)
}

// The keyed chain on both engines, against someone who can write the
// database but cannot read the key: every attack is caught by verify,
// at the row or at the head.
func TestKeyedAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		tests := []struct {
			name    string
			attack  func(a attacker)
			wantSeq int64
			reason  string
		}{
			{"keyed row edited, plain hashes recomputed, head moved along", func(a attacker) {
				a.rehash(4, 4, "mallory")
			}, 4, "keyed hash"},
			{"newest rows cut and the chain re-headed", func(a attacker) {
				a.dropGuards()
				es := a.entries()
				a.exec(`DELETE FROM audit_log WHERE seq > 3`)
				a.exec(`UPDATE audit_head SET seq = 3, hash = $1 WHERE id = 1`, es[2].Hash)
			}, 3, "signature"},
			{"keyed-from marker cleared, the whole chain rehashed plain", func(a attacker) {
				a.rehash(1, 2, "mallory")
				a.exec(`UPDATE audit_head SET keyed_from = NULL, mac = '' WHERE id = 1`)
			}, 5, "no row is signed"},
			{"keyed-from marker moved past the keyed rows, which are rehashed plain", func(a attacker) {
				a.rehash(3, 4, "mallory")
				a.exec(`UPDATE audit_head SET keyed_from = 6 WHERE id = 1`)
			}, 5, "signature"},
			{"plain row edited, plain hashes recomputed up to the keyed rows", func(a attacker) {
				a.dropGuards()
				es := a.entries()
				e := es[1]
				e.Actor = "mallory"
				e.Hash = e.ComputeHash()
				a.exec(`UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = 2`, e.Actor, e.Hash)
			}, 3, "previous-hash link"},
			{"a plain row appended and the head moved to it", func(a attacker) {
				es := a.entries()
				e := es[len(es)-1]
				e.Seq, e.PrevHash, e.Action = e.Seq+1, e.Hash, "user.delete"
				e.Hash = e.ComputeHash()
				a.exec(`INSERT INTO audit_log (seq, at, actor_id, actor, source, action, entity, entity_id, before_state, after_state, prev_hash, hash)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, e.Seq, e.At, e.ActorID, e.Actor, e.Source, e.Action,
					e.Entity, e.EntityID, string(e.Before), string(e.After), e.PrevHash, e.Hash)
				a.exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, e.Seq, e.Hash)
			}, 6, "keyed hash"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				st, _, _ := keyedOffice(t, engine)
				if n, err := st.Audit().Verify(ctx); err != nil || n != 5 {
					t.Fatalf("before the attack: %d %v, want 5 rows intact", n, err)
				}
				tt.attack(attacker{t: t, st: st, engine: engine})
				_, err := st.Audit().Verify(ctx)
				var p *audit.Problem
				if !errors.As(err, &p) || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason) {
					t.Fatalf("verify after the attack: %v, want a problem at row %d naming %q", err, tt.wantSeq, tt.reason)
				}
			})
		}
	})
}

// Rows before the key keep their plain hashes; those from the marker on
// are HMACs, and the adoption itself is the first keyed row.
func TestAuditKeyAdoption(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, dsn, key := keyedOffice(t, engine)
		h, err := st.AuditHead(ctx)
		if err != nil || h.KeyedFrom != 3 || h.Seq != 5 || !h.SignedBy(key) {
			t.Fatalf("head %+v %v, want keyed from 3, 5 rows, signed", h, err)
		}
		es := attacker{t: t, st: st, engine: engine}.entries()
		for _, e := range es {
			keyed := e.Seq >= 3
			if got := e.Hash == e.ComputeMAC(key); got != keyed {
				t.Errorf("row %d carries an HMAC: %v, want %v", e.Seq, got, keyed)
			}
			if got := e.Hash == e.ComputeHash(); got == keyed {
				t.Errorf("row %d carries a plain hash: %v, want %v", e.Seq, got, !keyed)
			}
		}
		if adopt := es[2]; adopt.Action != "audit.key.adopt" || !strings.Contains(string(adopt.After), key.ID()) {
			t.Errorf("row 3 is %s %s, want the adoption naming key %s", adopt.Action, adopt.After, key.ID())
		}

		// Another process without the key: it may read, not append,
		// and its verify says what it needs.
		bare := storetest.OpenAt(t, dsn, storetest.Options{})
		if err := bare.CheckAuditKey(ctx); err == nil || !strings.Contains(err.Error(), "--audit-key-file") {
			t.Errorf("check without the key: %v", err)
		}
		if _, err := bare.Accounts().CreateUser(ctx, cli, account.NewUser{Name: "nokey", Role: authz.Observer, Password: pw}); err == nil || !strings.Contains(err.Error(), "--audit-key-file") {
			t.Errorf("a change without the key: %v, want refused naming --audit-key-file", err)
		}
		if _, err := bare.Accounts().UserByName(ctx, "nokey"); err == nil {
			t.Error("the change refused for want of the key was kept")
		}
		var p *audit.Problem
		if _, err := bare.Audit().Verify(ctx); err == nil || errors.As(err, &p) || !strings.Contains(err.Error(), "--audit-key-file") {
			t.Errorf("verify without the key: %v, want an error naming --audit-key-file", err)
		}
		// Another key: refused on adoption and on check; verify finds
		// nothing it can vouch for.
		other := storetest.OpenAt(t, dsn, storetest.Options{})
		other.UseAuditKey(audit.NewKey())
		for name, err := range map[string]error{"adopt": other.AdoptAuditKey(ctx), "check": other.CheckAuditKey(ctx)} {
			if err == nil || !strings.Contains(err.Error(), "not the key") {
				t.Errorf("%s with another key: %v", name, err)
			}
		}
		if _, err := other.Audit().Verify(ctx); !errors.As(err, &p) || p.Seq != 3 {
			t.Errorf("verify with another key: %v, want a problem at row 3", err)
		}
		if n, err := st.Audit().Verify(ctx); err != nil || n != 5 {
			t.Fatalf("the trail after the refusals: %d %v", n, err)
		}
	})
}

// Replicas given the same key file adopt it once between them, append to
// one chain at once, and it verifies.
func TestAuditKeyAcrossReplicas(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		key := audit.NewKey()
		dsn := storetest.DSN(t, engine)
		a := storetest.OpenAt(t, dsn, storetest.Options{})
		b := storetest.OpenAt(t, dsn, storetest.Options{})
		var wg sync.WaitGroup
		errs := make(chan error, 2*10+2)
		for _, st := range []*store.Store{a, b} {
			st.UseAuditKey(key)
			wg.Go(func() { errs <- st.AdoptAuditKey(ctx) })
		}
		wg.Wait()
		for i := range 10 {
			for _, st := range []*store.Store{a, b} {
				wg.Go(func() {
					errs <- st.Audit().Record(ctx, cli, "channel.test", "channel", "email", map[string]int{"i": i})
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, err := b.Audit().Verify(ctx); err != nil || n != 21 {
			t.Fatalf("verify: %d %v, want one adoption and 20 records", n, err)
		}
	})
}
