package cli

import (
	"context"
	"fmt"

	"crisisdesk/internal/store"
)

var migrateCmd = command{
	name:    "migrate",
	summary: "create or upgrade the database schema (serve does this too)",
	run: func(ctx context.Context, c *call) error {
		if len(c.args) > 0 {
			return usagef("unexpected argument %q", c.args[0])
		}
		st, err := store.Open(ctx, c.cfg.DB, store.Options{Logger: c.log})
		if err != nil {
			return err
		}
		defer st.Close()
		applied, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		cur, _, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintf(c.env.Stdout, "schema is current (version %d)\n", cur)
		} else {
			fmt.Fprintf(c.env.Stdout, "applied %d migration(s); schema is at version %d\n", len(applied), cur)
		}
		return nil
	},
}
