package cli

import (
	"context"
	"fmt"

	"crisisdesk/internal/app"
	"crisisdesk/internal/demo"
)

var demoCmd = command{
	name:    "demo",
	summary: "load a realistic sample (two signed plans, an active typhoon) into the database; running it twice does no harm",
	run: func(ctx context.Context, c *call) error {
		if len(c.args) > 0 {
			return usagef("unexpected argument %q", c.args[0])
		}
		st, _, err := openMigrated(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.CheckAuditKey(ctx); err != nil {
			return err
		}
		if err := app.Bootstrap(ctx, st, c.cfg.AdminPassword, c.env.Stdout); err != nil {
			return err
		}
		loaded, err := demo.Load(ctx, st, st.Clock().Now(), c.env.Stdout)
		if err != nil {
			return err
		}
		if !loaded {
			fmt.Fprintln(c.env.Stdout, "the demo is already loaded")
		}
		return nil
	},
}
