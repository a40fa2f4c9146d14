package app

import (
	"context"
	"fmt"
	"io"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
)

// AdminName is the account created on first start.
const AdminName = "admin"

// Bootstrap creates the admin account when the database has no users. The
// password is the given one, or a generated one printed to out once; either
// way it must be changed at first sign-in.
func Bootstrap(ctx context.Context, st *store.Store, password string, out io.Writer) error {
	n, err := st.Accounts().CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	generated := password == ""
	if generated {
		password = account.GeneratePassword()
	}
	_, err = st.Accounts().CreateUser(ctx, authz.System(authz.SourceSystem, "crisisdesk"), account.NewUser{
		Name: AdminName, DisplayName: "Administrator", Role: authz.Admin, Password: password, MustChangePassword: true,
	})
	if fault.Is(err, fault.Invalid) {
		// Another replica starting at the same moment made it first.
		if n, cerr := st.Accounts().CountUsers(ctx); cerr == nil && n > 0 {
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("create the first admin: %w", err)
	}
	if generated {
		fmt.Fprintf(out, "\nCreated the account %q with the one-time password:\n\n    %s\n\nSign in and choose a new password. This password is shown only once.\n\n", AdminName, password)
	} else {
		fmt.Fprintf(out, "Created the account %q with the password from CRISISDESK_ADMIN_PASSWORD; it must be changed at first sign-in.\n", AdminName)
	}
	return nil
}
