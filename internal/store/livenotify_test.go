package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/live"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/testenv"
)

// Two replicas on one PostgreSQL: a change made through one reaches the
// live viewers of the other.
func TestLiveEventsCrossReplicas(t *testing.T) {
	t.Parallel()
	testenv.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dsn := storetest.DSN(t, store.Postgres)
	open := func(b *live.Broker) *store.Store {
		st, err := store.Open(ctx, dsn, store.Options{Live: b, Passwords: accounttest.WeakHashing()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	}
	brokerA, brokerB := live.NewBroker(), live.NewBroker()
	a, b := open(brokerA), open(brokerB)
	go a.ListenLive(ctx, brokerA)
	events, stop := brokerA.Subscribe(live.DashboardTopic)
	defer stop()

	if _, err := b.SeedCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	types, _ := b.Plans().Types(ctx)
	cmd := mustUser(t, b, "cmd", authz.Commander)
	// Give A's listener a moment to be listening; retry the change until an
	// event arrives, within the test's bound.
	declared := map[int64]bool{}
	for {
		c, err := b.Crises().Declare(ctx, cmd.Actor(authz.SourceUI), crisis.Declaration{Title: "Flood", TypeID: types[0].ID,
			Level: catalog.LevelIII, Location: "River bank", OccurredAt: time.Now().Add(-time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		declared[c.ID] = true
		wait := time.After(500 * time.Millisecond)
	read:
		for {
			select {
			case e := <-events:
				if e.Type != "crisis" { // the dashboard's other news (waiting count, deadlines, risks) share this topic
					continue
				}
				if e.Type != "crisis" || !declared[e.ID] {
					t.Fatalf("event %+v, want one of crises %v", e, declared)
				}
				return
			case <-wait:
				break read
			case <-ctx.Done():
				t.Fatal("no live event crossed replicas")
			}
		}
	}
}
