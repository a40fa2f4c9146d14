package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"crisisdesk/internal/store"
	"crisisdesk/internal/subscriber"
)

// Confirmations returns the secrets of the confirmation jobs enqueued for
// a subscriber, oldest first: what its confirmation message carries, read
// from River's queue as the worker would.
func Confirmations(tb testing.TB, st *store.Store, subscriberID int64) []string {
	tb.Helper()
	column := "args"
	if st.Engine() == store.SQLite {
		column = "json(args)" // River keeps SQLite's binary JSON
	}
	rows, err := st.Writer().QueryContext(context.Background(),
		`SELECT `+column+` FROM river_job WHERE kind = $1 ORDER BY id`, subscriber.ConfirmArgs{}.Kind())
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			tb.Fatal(err)
		}
		var args subscriber.ConfirmArgs
		if err := json.Unmarshal(raw, &args); err != nil {
			tb.Fatalf("job args %s: %v", raw, err)
		}
		if args.SubscriberID == subscriberID {
			out = append(out, args.Secret)
		}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
