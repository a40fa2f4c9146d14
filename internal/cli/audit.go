package cli

import (
	"context"
	"fmt"
)

var auditVerifyCmd = command{
	name:    "audit verify",
	summary: "check the audit trail's hash chain; exits non-zero naming the first bad row",
	run: func(ctx context.Context, c *call) error {
		st, err := openStore(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		n, err := st.Audit().Verify(ctx)
		if err != nil {
			return fmt.Errorf("audit trail broken after %d good rows: %w", n, err)
		}
		fmt.Fprintf(c.env.Stdout, "audit trail intact: %d rows verified\n", n)
		return nil
	},
}
