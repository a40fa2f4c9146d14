package store_test

import (
	"context"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// BenchmarkAuditAppend measures one audited write transaction: the cost
// every change in crisisdesk pays for its hash-chained audit row.
func BenchmarkAuditAppend(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			st := storetest.OpenWith(b, engine, storetest.Options{})
			actor := authz.System(authz.SourceSystem, "bench")
			after := map[string]any{"title": "Typhoon signal No. 8", "level": "II"}
			b.ResetTimer()
			for b.Loop() {
				if err := st.InTx(ctx, func(tx *store.Tx) error {
					return tx.Audit(ctx, actor, "bench.write", "bench", "1", nil, after)
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSessionUser measures the per-request cost of recognising a
// signed-in browser.
func BenchmarkSessionUser(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			st := storetest.OpenWith(b, engine, storetest.Options{})
			if _, err := st.Accounts().CreateUser(ctx, authz.System(authz.SourceCLI, "bench"), account.NewUser{
				Name: "bench", Role: authz.Commander, Password: "correct horse battery"}); err != nil {
				b.Fatal(err)
			}
			secret := storetest.SignIn(b, st, "bench", "correct horse battery", nil, account.Client{Address: "127.0.0.1", UserAgent: "bench"})
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := st.Accounts().SessionUser(ctx, secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
