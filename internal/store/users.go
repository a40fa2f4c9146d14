package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// accounts implements account.Service.
type accounts struct{ s *Store }

var _ account.Service = (*accounts)(nil)

const userColumns = `id, name, display_name, email, role, department_id, language, disabled,
	must_change_password, created_at, updated_at, version, last_signin_at, previous_signin_at,
	EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL),
	EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = users.id)`

type rowScanner interface{ Scan(dest ...any) error }

// scanUser scans userColumns, then any extra columns into extra.
func scanUser(r rowScanner, extra ...any) (account.User, error) {
	var u account.User
	var dep sql.NullInt64
	var role string
	var last, previous sql.NullTime
	dest := append([]any{&u.ID, &u.Name, &u.DisplayName, &u.Email, &role, &dep, &u.Language, &u.Disabled,
		&u.MustChangePassword, &u.CreatedAt, &u.UpdatedAt, &u.Version, &last, &previous,
		&u.SecondFactor, &u.External}, extra...)
	err := r.Scan(dest...)
	u.Role = authz.Role(role)
	u.DepartmentID = dep.Int64
	u.CreatedAt, u.UpdatedAt = utc(u.CreatedAt), utc(u.UpdatedAt)
	if last.Valid {
		u.LastSignInAt = utc(last.Time)
	}
	if previous.Valid {
		u.PreviousSignInAt = utc(previous.Time)
	}
	return u, err
}

// auditUser is the audit trail's view of a user: everything but secrets.
func auditUser(u account.User) map[string]any {
	return map[string]any{
		"id": u.ID, "name": u.Name, "display_name": u.DisplayName, "email": u.Email, "role": u.Role,
		"department_id": u.DepartmentID, "language": u.Language, "disabled": u.Disabled,
		"must_change_password": u.MustChangePassword, "version": u.Version,
	}
}

func userByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (account.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return account.User{}, notFound(err, "user", id)
	}
	return u, nil
}

func (a *accounts) txUser(ctx context.Context, tx *Tx, id int64) (account.User, error) {
	return userByID(ctx, tx.tx, id)
}

func (a *accounts) checkDepartment(ctx context.Context, tx *Tx, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM departments WHERE id = $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("check department: %w", err)
	}
	if n == 0 {
		return fault.Field("department_id", "department %d does not exist", id)
	}
	return nil
}

func (a *accounts) CreateUser(ctx context.Context, actor authz.Actor, in account.NewUser) (account.User, error) {
	if err := authz.Require(actor, authz.ManageUsers); err != nil {
		return account.User{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return account.User{}, err
	}
	hash, err := a.s.passwords.Hash(in.Password)
	if err != nil {
		return account.User{}, err
	}
	var u account.User
	err = a.s.InTx(ctx, func(tx *Tx) error {
		if err := a.checkDepartment(ctx, tx, in.DepartmentID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO users (name, display_name, email, role, department_id, language,
			password_hash, must_change_password, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			in.Name, in.DisplayName, in.Email, string(in.Role), nullInt(in.DepartmentID), in.Language,
			hash, in.MustChangePassword, tx.Now).Scan(&id)
		if isUnique(err) {
			return fault.Field("name", "the name %q is taken", in.Name)
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if u, err = a.txUser(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "user.create", "user", strconv.FormatInt(id, 10), nil, auditUser(u))
	})
	return u, err
}

func (a *accounts) UpdateUser(ctx context.Context, actor authz.Actor, id int64, in account.UserUpdate) (account.User, error) {
	if err := authz.Require(actor, authz.ManageUsers); err != nil {
		return account.User{}, err
	}
	in.DisplayName, in.Email = strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.Email)
	if err := in.Validate(); err != nil {
		return account.User{}, err
	}
	var after account.User
	err := a.s.InTx(ctx, func(tx *Tx) error {
		before, err := a.txUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return fault.New(fault.Conflict, "user %s was changed by someone else since you opened it (version %d, yours %d): reload and try again", before.Name, before.Version, in.Version)
		}
		if before.Role == authz.Admin && in.Role != authz.Admin {
			if err := a.keepOneAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		if err := a.checkDepartment(ctx, tx, in.DepartmentID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE users SET display_name = $1, email = $2, role = $3, department_id = $4,
			language = $5, updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			in.DisplayName, in.Email, string(in.Role), nullInt(in.DepartmentID), in.Language, tx.Now, id, in.Version)
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "user %s was changed by someone else: reload and try again", before.Name)
		}
		if after, err = a.txUser(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "user.update", "user", strconv.FormatInt(id, 10), auditUser(before), auditUser(after))
	})
	return after, err
}

// keepOneAdmin refuses a change that would leave no enabled admin.
func (a *accounts) keepOneAdmin(ctx context.Context, tx *Tx, losing int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1`, losing).Scan(&n); err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if n == 0 {
		return fault.Field("role", "this is the last enabled admin; make another admin first")
	}
	return nil
}

func (a *accounts) setPassword(ctx context.Context, actor authz.Actor, id int64, password string, mustChange bool, action string) error {
	if err := account.CheckPassword(password); err != nil {
		return err
	}
	hash, err := a.s.passwords.Hash(password)
	if err != nil {
		return err
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3,
			version = version + 1 WHERE id = $4`, hash, mustChange, tx.Now, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		// A new password ends every other session of the user.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return tx.Audit(ctx, actor, action, "user", strconv.FormatInt(id, 10),
			map[string]any{"name": u.Name, "must_change_password": u.MustChangePassword},
			map[string]any{"name": u.Name, "must_change_password": mustChange, "password": "changed"})
	})
}

func (a *accounts) SetPassword(ctx context.Context, actor authz.Actor, id int64, password string, mustChange bool) error {
	if err := authz.Require(actor, authz.ManageUsers); err != nil {
		return err
	}
	return a.setPassword(ctx, actor, id, password, mustChange, "user.password_reset")
}

func (a *accounts) ChangeOwnPassword(ctx context.Context, actor authz.Actor, current, next string) error {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return err
	}
	var hash string
	if err := a.s.reader.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, actor.UserID).Scan(&hash); err != nil {
		return notFound(err, "user", actor.UserID)
	}
	if !account.VerifyPassword(hash, current) {
		return fault.Field("current_password", "is not your current password")
	}
	if current == next {
		return fault.Field("password", "must differ from the current password")
	}
	return a.setPassword(ctx, actor, actor.UserID, next, false, "user.password_change")
}

func (a *accounts) SetLanguage(ctx context.Context, actor authz.Actor, lang string) error {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return err
	}
	if !account.ValidLanguage(lang) {
		return fault.Field("language", "must be zh-Hant, zh-Hans, en or empty")
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if u.Language == lang {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET language = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
			lang, tx.Now, actor.UserID); err != nil {
			return fmt.Errorf("set language: %w", err)
		}
		return tx.Audit(ctx, actor, "user.language", "user", strconv.FormatInt(u.ID, 10),
			map[string]any{"language": u.Language}, map[string]any{"language": lang})
	})
}

func (a *accounts) SetDisabled(ctx context.Context, actor authz.Actor, id int64, disabled bool) error {
	if err := authz.Require(actor, authz.ManageUsers); err != nil {
		return err
	}
	if disabled && id == actor.UserID {
		return fault.New(fault.Invalid, "you cannot disable your own account")
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if disabled && u.Role == authz.Admin {
			if err := a.keepOneAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
			disabled, tx.Now, id); err != nil {
			return fmt.Errorf("set disabled: %w", err)
		}
		if disabled {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.Audit(ctx, actor, action, "user", strconv.FormatInt(id, 10),
			map[string]any{"name": u.Name, "disabled": u.Disabled}, map[string]any{"name": u.Name, "disabled": disabled})
	})
}

func (a *accounts) User(ctx context.Context, id int64) (account.User, error) {
	return userByID(ctx, a.s.reader, id)
}

func (a *accounts) UserByName(ctx context.Context, name string) (account.User, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	u, err := scanUser(a.s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = $1`, name))
	if err != nil {
		return account.User{}, notFound(err, "user", name)
	}
	return u, nil
}

func (a *accounts) ListUsers(ctx context.Context, f account.UserFilter) ([]account.User, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where := []string{"1 = 1"}
	var args []any
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		where = append(where, fmt.Sprintf(`(LOWER(name) LIKE $%d ESCAPE '\' OR LOWER(display_name) LIKE $%d ESCAPE '\')`, len(args), len(args)))
	}
	if f.DepartmentID != 0 {
		args = append(args, f.DepartmentID)
		where = append(where, fmt.Sprintf("department_id = $%d", len(args)))
	}
	if f.Role != "" {
		args = append(args, string(f.Role))
		where = append(where, fmt.Sprintf("role = $%d", len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, a.s.reader, "users", func(r rowScanner) (account.User, error) { return scanUser(r) },
		fmt.Sprintf(`SELECT `+userColumns+` FROM users WHERE %s ORDER BY name LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

func (a *accounts) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
