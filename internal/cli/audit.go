package cli

import (
	"context"
	"errors"
	"fmt"

	"crisisdesk/internal/audit"
)

var auditVerifyCmd = command{
	name:    "audit verify",
	summary: "check the audit trail's hash chain (keyed rows with --audit-key-file); exits non-zero naming the first bad row",
	run: func(ctx context.Context, c *call) error {
		st, err := openStoreToRead(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		n, err := st.Audit().Verify(ctx)
		var p *audit.Problem
		if errors.As(err, &p) {
			return fmt.Errorf("audit trail broken after %d good rows: %w", n, err)
		}
		if err != nil {
			return err
		}
		head, err := st.AuditHead(ctx)
		if err != nil {
			return err
		}
		switch {
		case head.Keyed():
			fmt.Fprintf(c.env.Stdout, "audit trail intact: %d rows verified, rows %d on signed with audit key %s\n",
				n, head.KeyedFrom, st.AuditKey().ID())
		default:
			fmt.Fprintf(c.env.Stdout, "audit trail intact: %d rows verified, none signed yet (serve keys the trail when it starts)\n", n)
		}
		return nil
	},
}
