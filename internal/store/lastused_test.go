package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// patience bounds calls that must not wait on a held lock, so that a
// regression fails with an error instead of hanging the suite. It is not a
// timing assertion: the calls are expected to finish long before it.
const patience = 30 * time.Second

// lastUse reads a session's last_seen and a token's last_used_at as
// stored.
func lastUse(t *testing.T, st *store.Store, sessionUser, tokenID int64) (seen, used time.Time) {
	t.Helper()
	var u sql.NullTime
	if err := st.Writer().QueryRowContext(context.Background(), `SELECT last_seen FROM sessions WHERE user_id = $1 ORDER BY last_seen DESC LIMIT 1`,
		sessionUser).Scan(&seen); err != nil {
		t.Fatal(err)
	}
	if err := st.Writer().QueryRowContext(context.Background(), `SELECT last_used_at FROM api_tokens WHERE id = $1`,
		tokenID).Scan(&u); err != nil {
		t.Fatal(err)
	}
	return seen.UTC(), u.Time.UTC()
}

// Recognising a session or a token writes nothing; their last use is noted
// and written by a flush, at most once a minute each.
func TestLastUseIsWrittenInBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		clk := clock.NewFake(t0)
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		acc := st.Accounts()
		u := mustUser(t, st, "mei", authz.Commander)
		secret := storetest.SignIn(t, st, "mei", pw, storetest.EnrolTOTP(t, st, u), account.Client{Address: "10.0.0.1", UserAgent: "test"})
		tok, meta, err := acc.CreateToken(ctx, cli, u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		use := func() account.Session {
			t.Helper()
			_, sess, err := acc.SessionUser(ctx, secret)
			if err != nil {
				t.Fatalf("session: %v", err)
			}
			if _, err := acc.TokenUser(ctx, tok); err != nil {
				t.Fatalf("token: %v", err)
			}
			return sess
		}
		want := func(step string, seen, used time.Time) {
			t.Helper()
			if s, u := lastUse(t, st, u.ID, meta.ID); !s.Equal(seen) || !u.Equal(used) {
				t.Errorf("%s: stored last_seen %s, last_used_at %s; want %s, %s", step, s, u, seen, used)
			}
		}

		clk.Advance(2 * time.Minute)
		t1 := clk.Now()
		if sess := use(); !sess.LastSeen.Equal(t1) {
			t.Errorf("the session reports last seen %s, want %s", sess.LastSeen, t1)
		}
		want("recognised, not flushed", t0, time.Time{})
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatal(err)
		}
		want("flushed", t1, t1)

		clk.Advance(30 * time.Second)
		if sess := use(); !sess.LastSeen.Equal(t1) {
			t.Errorf("within the minute the session reports last seen %s, want %s", sess.LastSeen, t1)
		}
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatal(err)
		}
		want("used again within the minute", t1, t1)

		clk.Advance(31 * time.Second)
		t2 := clk.Now()
		use()
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatal(err)
		}
		want("used again after the minute", t2, t2)
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatalf("an empty flush: %v", err)
		}
	})
}

// Two replicas note uses at different times and flush in any order: the
// stored time only moves forward.
func TestLastUseAcrossReplicas(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		dsn := storetest.DSN(t, engine)
		early, late := clock.NewFake(t0), clock.NewFake(t0)
		a := storetest.OpenAt(t, dsn, storetest.Options{Clock: late})
		b := storetest.OpenAt(t, dsn, storetest.Options{Clock: early})
		u := mustUser(t, a, "mei", authz.Commander)
		secret := storetest.SignIn(t, a, "mei", pw, storetest.EnrolTOTP(t, a, u), account.Client{Address: "10.0.0.1", UserAgent: "test"})
		tok, meta, err := a.Accounts().CreateToken(ctx, cli, u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		late.Advance(5 * time.Minute)
		early.Advance(3 * time.Minute)
		for _, st := range []*store.Store{a, b} {
			if _, _, err := st.Accounts().SessionUser(ctx, secret); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Accounts().TokenUser(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		// The later use is flushed first; the earlier must not undo it.
		for _, st := range []*store.Store{a, b} {
			if err := st.FlushLastUsed(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if s, used := lastUse(t, a, u.ID, meta.ID); !s.Equal(late.Now()) || !used.Equal(late.Now()) {
			t.Fatalf("stored %s and %s, want the later use %s for both", s, used, late.Now())
		}
	})
}

// A use noted but not yet written keeps the session alive: it counts for
// the idle limit, and the purge leaves the row alone.
func TestNotedUseKeepsTheSession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		acc := st.Accounts()
		u := mustUser(t, st, "mei", authz.Commander)
		secret := storetest.SignIn(t, st, "mei", pw, storetest.EnrolTOTP(t, st, u), account.Client{Address: "10.0.0.1", UserAgent: "test"})
		clk.Advance(account.SessionIdle - time.Minute)
		if _, _, err := acc.SessionUser(ctx, secret); err != nil {
			t.Fatalf("before the idle limit: %v", err)
		}
		clk.Advance(2 * time.Minute) // idle by the stored time, not by the noted one
		if _, _, err := acc.SessionUser(ctx, secret); err != nil {
			t.Fatalf("a session used a minute ago (noted, not yet written): %v", err)
		}
		if _, err := st.PurgeExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, err := acc.SessionUser(ctx, secret); err != nil {
			t.Fatalf("the purge removed a session in use: %v", err)
		}
	})
}

// While another connection holds the write lock (another process on
// SQLite, locked rows on PostgreSQL), sessions and tokens are still
// recognised, a read receipt does not hold its reader, and the write probe
// reports the stall; once the lock is gone, everything noted is written.
func TestReadsDoNotWaitOnTheWriter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		o := newOffice(t, engine)
		st, acc := o.st, o.st.Accounts()
		c, _ := activeCrisis(t, o, false)
		in := publicNotice(c.ID)
		in.Audience = notice.Internal
		in.Roles = []authz.Role{authz.Liaison}
		n := publish(t, o, in)
		if got := walk(t, st.Deliveries(), n.ID, 100); got != 1 {
			t.Fatalf("internal notice: %d deliveries, want 1", got)
		}
		liaison := o.users[authz.Liaison]
		secret := storetest.SignIn(t, st, "u-liaison", pw, nil, account.Client{Address: "10.0.0.1", UserAgent: "test"})
		tok, _, err := acc.CreateToken(ctx, cli, liaison.UserID, "script")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CheckWrites(ctx); err != nil {
			t.Fatalf("write probe on an idle database: %v", err)
		}
		o.clk.Advance(2 * time.Minute) // both are due a "last used" write

		release := storetest.HoldWriteLock(t, o.dsn)
		if _, _, err := acc.SessionUser(ctx, secret); err != nil {
			t.Errorf("session while the write lock is held: %v", err)
		}
		if _, err := acc.TokenUser(ctx, tok); err != nil {
			t.Errorf("token while the write lock is held: %v", err)
		}
		if err := st.Deliveries().MarkRead(ctx, n.ID, liaison.UserID); err != nil {
			t.Errorf("read receipt while the write lock is held: %v", err)
		}
		// Readiness callers at once share one probe, and all see the stall.
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() { errs[i] = st.CheckWrites(ctx) })
		}
		wg.Wait()
		for _, err := range errs {
			var stall *store.WriteStallError
			if !errors.As(err, &stall) || !strings.Contains(err.Error(), "writes stalled") {
				t.Errorf("write probe while the lock is held: %v, want a write stall", err)
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("the calls above waited on the lock: %v", ctx.Err())
		}
		release()

		if err := st.CheckWrites(ctx); err != nil {
			t.Fatalf("write probe after the lock is gone: %v", err)
		}
		if err := st.FlushLastUsed(ctx); err != nil {
			t.Fatal(err)
		}
		seen, used := lastUse(t, st, liaison.UserID, mustTokenID(t, st, liaison.UserID))
		if !seen.Equal(o.clk.Now()) || !used.Equal(o.clk.Now()) {
			t.Errorf("after the flush: last seen %s, token used %s, want both %s", seen, used, o.clk.Now())
		}
		box, err := st.Deliveries().Inbox(ctx, liaison.UserID, 10)
		if err != nil || len(box) != 1 || !box[0].ReadAt.Equal(o.clk.Now()) {
			t.Fatalf("inbox after the flush: %+v %v, want read at %s", box, err, o.clk.Now())
		}
	})
}

func mustTokenID(t *testing.T, st *store.Store, userID int64) int64 {
	t.Helper()
	toks, err := st.Accounts().ListTokens(context.Background(), userID)
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens of %d: %+v %v", userID, toks, err)
	}
	return toks[0].ID
}
