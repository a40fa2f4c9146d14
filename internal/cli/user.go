package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
)

// cliActor is who the command line acts as in the audit trail.
func cliActor() authz.Actor { return authz.System(authz.SourceCLI, "cli") }

var userAddCmd = command{
	name:    "user add",
	usage:   "NAME --role ROLE [--department D] [--password-stdin]",
	summary: "create a user; without --password-stdin a one-time password is generated and printed once",
	flags: func(fs *flag.FlagSet) {
		fs.String("role", "", "role: "+roleList())
		fs.String("department", "", "department code or id")
		fs.String("display-name", "", "full name shown in the UI (default: NAME)")
		fs.String("email", "", "e-mail address")
		fs.String("language", "", "UI language: zh-Hant, zh-Hans or en (default: follow the browser)")
		fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	},
	run: runUserAdd,
}

func roleList() string {
	var s []string
	for _, r := range authz.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func runUserAdd(ctx context.Context, c *call) error {
	if len(c.args) != 1 {
		return usagef("want exactly one NAME")
	}
	if c.str("role") == "" {
		return usagef("--role is required (%s)", roleList())
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	depID, err := departmentID(ctx, st, c.str("department"))
	if err != nil {
		return err
	}
	pw, generated, err := password(c)
	if err != nil {
		return err
	}
	u, err := st.Accounts().CreateUser(ctx, cliActor(), account.NewUser{
		Name: c.args[0], DisplayName: c.str("display-name"), Email: c.str("email"), Role: authz.Role(c.str("role")),
		DepartmentID: depID, Language: c.str("language"), Password: pw, MustChangePassword: generated,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "created user %s (id %d, role %s)\n", u.Name, u.ID, u.Role)
	if generated {
		fmt.Fprintf(c.env.Stdout, "one-time password (shown once; must be changed at first sign-in): %s\n", pw)
	}
	return nil
}

// password reads the password from stdin or generates one.
func password(c *call) (pw string, generated bool, err error) {
	if !c.flagBool("password-stdin") {
		return account.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(c.env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, errors.New("--password-stdin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

func departmentID(ctx context.Context, st *store.Store, ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if _, err := st.Accounts().Department(ctx, id); err != nil {
			return 0, fault.Field("department", "no department with id %d", id)
		}
		return id, nil
	}
	deps, _, err := st.Accounts().ListDepartments(ctx, 0, 500)
	if err != nil {
		return 0, err
	}
	for _, d := range deps {
		if strings.EqualFold(d.Code, ref) || d.Name == ref {
			return d.ID, nil
		}
	}
	return 0, fault.Field("department", "no department %q; an admin creates departments under Admin → Departments", ref)
}

var userListCmd = command{
	name:    "user list",
	summary: "list users",
	run: func(ctx context.Context, c *call) error {
		st, err := openStoreToRead(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		deps, _, err := st.Accounts().ListDepartments(ctx, 0, 500)
		if err != nil {
			return err
		}
		depName := map[int64]string{}
		for _, d := range deps {
			depName[d.ID] = d.Code
		}
		tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tDEPARTMENT\tSTATUS\tDISPLAY NAME")
		for offset := 0; ; offset += 500 {
			users, total, err := st.Accounts().ListUsers(ctx, account.UserFilter{Offset: offset, Limit: 500})
			if err != nil {
				return err
			}
			for _, u := range users {
				status := "active"
				switch {
				case u.Disabled:
					status = "disabled"
				case u.MustChangePassword:
					status = "must change password"
				case account.MustEnrol(u, account.MethodPassword):
					status = "must set up a second factor"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, orDash(depName[u.DepartmentID]), status, u.DisplayName)
			}
			if offset+len(users) >= total || len(users) == 0 {
				break
			}
		}
		return tw.Flush()
	},
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var userPasswdCmd = command{
	name:    "user passwd",
	usage:   "NAME [--password-stdin]",
	summary: "set a user's password; without --password-stdin a one-time password is generated and printed once",
	flags: func(fs *flag.FlagSet) {
		fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	},
	run: func(ctx context.Context, c *call) error {
		st, u, err := namedUser(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		pw, generated, err := password(c)
		if err != nil {
			return err
		}
		if err := st.Accounts().SetPassword(ctx, cliActor(), u.ID, pw, generated); err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "password of %s changed; their sessions were ended\n", u.Name)
		if generated {
			fmt.Fprintf(c.env.Stdout, "one-time password (shown once; must be changed at next sign-in): %s\n", pw)
		}
		return nil
	},
}

// namedUser opens the store and finds the user named by the one argument.
// The caller closes the store.
func namedUser(ctx context.Context, c *call) (*store.Store, account.User, error) {
	if len(c.args) != 1 {
		return nil, account.User{}, usagef("want exactly one NAME")
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return nil, account.User{}, err
	}
	u, err := st.Accounts().UserByName(ctx, c.args[0])
	if err != nil {
		st.Close()
		return nil, account.User{}, err
	}
	return st, u, nil
}

func setDisabledCmd(name string, disabled bool, summary string) command {
	return command{
		name: name, usage: "NAME", summary: summary,
		run: func(ctx context.Context, c *call) error {
			st, u, err := namedUser(ctx, c)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Accounts().SetDisabled(ctx, cliActor(), u.ID, disabled); err != nil {
				return err
			}
			state := "enabled"
			if disabled {
				state = "disabled; their sessions were ended"
			}
			fmt.Fprintf(c.env.Stdout, "user %s %s\n", u.Name, state)
			return nil
		},
	}
}

var (
	userDisableCmd = setDisabledCmd("user disable", true, "disable a user: they can no longer sign in or use their tokens")
	userEnableCmd  = setDisabledCmd("user enable", false, "enable a disabled user again")
)

// userResetMFACmd is the break-glass for a lost phone when no admin can
// sign in to reset it from the user's page (the last admin's own phone).
var userResetMFACmd = command{
	name: "user reset-mfa", usage: "NAME",
	summary: "remove a user's second factor (a lost phone) and end their sessions; a role that requires one must set it up again at the next sign-in",
	run: func(ctx context.Context, c *call) error {
		st, u, err := namedUser(ctx, c)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.Accounts().ResetSecondFactor(ctx, cliActor(), u.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "second factor of %s removed; their sessions were ended\n", u.Name)
		return nil
	},
}
