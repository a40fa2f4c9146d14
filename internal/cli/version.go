package cli

import (
	"context"
	"fmt"
	"runtime"
)

var versionCmd = command{
	name:    "version",
	summary: "print the version",
	run: func(ctx context.Context, c *call) error {
		fmt.Fprintf(c.env.Stdout, "crisisdesk %s (%s)\n", Version, runtime.Version())
		return nil
	},
}
