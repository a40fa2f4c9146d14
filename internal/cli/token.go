package cli

import (
	"context"
	"flag"
	"fmt"
)

var tokenCreateCmd = command{
	name:    "token create",
	usage:   "--user NAME --name LABEL",
	summary: "create an API token for a user; the token is printed once",
	flags: func(fs *flag.FlagSet) {
		fs.String("user", "", "the user the token acts as")
		fs.String("name", "", "a label saying what the token is for")
	},
	run: func(ctx context.Context, c *call) error {
		if len(c.args) > 0 {
			return usagef("unexpected argument %q", c.args[0])
		}
		if c.str("user") == "" || c.str("name") == "" {
			return usagef("--user and --name are required")
		}
		st, err := openStore(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		u, err := st.Accounts().UserByName(ctx, c.str("user"))
		if err != nil {
			return err
		}
		secret, _, err := st.Accounts().CreateToken(ctx, cliActor(), u.ID, c.str("name"))
		if err != nil {
			return err
		}
		fmt.Fprintln(c.env.Stdout, secret)
		fmt.Fprintf(c.env.Stderr, "token for %s created; it is shown only once: send it as \"Authorization: Bearer <token>\"\n", u.Name)
		return nil
	},
}
