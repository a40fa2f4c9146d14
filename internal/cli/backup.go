package cli

import (
	"context"
	"flag"
	"fmt"
)

var backupCmd = command{
	name:    "backup",
	usage:   "--to FILE",
	summary: "write a consistent copy of the SQLite database while the server runs (PostgreSQL: use pg_dump)",
	flags:   func(fs *flag.FlagSet) { fs.String("to", "", "the new file to write") },
	run: func(ctx context.Context, c *call) error {
		if c.str("to") == "" {
			return usagef("--to FILE is required")
		}
		st, err := openStoreToRead(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.Backup(ctx, c.str("to")); err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "backup written to %s\n", c.str("to"))
		return nil
	},
}
