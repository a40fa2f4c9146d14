package cli

import (
	"context"
	"fmt"

	"crisisdesk/internal/app"
	"crisisdesk/internal/store"
)

var migrateCmd = command{
	name:    "migrate",
	summary: "create or upgrade the database schema (serve does this too)",
	run: func(ctx context.Context, c *call) error {
		if len(c.args) > 0 {
			return usagef("unexpected argument %q", c.args[0])
		}
		st, applied, err := openMigrated(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
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

// openMigrated opens the database and brings its schema up to date, for
// the commands that may start from an empty one.
func openMigrated(ctx context.Context, c *call) (*store.Store, []int, error) {
	st, err := store.Open(ctx, c.cfg.DB, store.Options{Logger: c.log})
	if err != nil {
		return nil, nil, err
	}
	// The key is in hand before migrating: a migration that repairs data
	// audits it, and a keyed chain takes no row without its key.
	if err := app.LoadAuditKey(ctx, st, c.cfg.AuditKeyFile, c.log); err != nil {
		st.Close()
		return nil, nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, applied, nil
}
