package store

import (
	"context"
	"fmt"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

const departmentColumns = `id, code, name, email, created_at, updated_at, version`

func scanDepartment(r rowScanner) (account.Department, error) {
	var d account.Department
	err := r.Scan(&d.ID, &d.Code, &d.Name, &d.Email, &d.CreatedAt, &d.UpdatedAt, &d.Version)
	d.CreatedAt, d.UpdatedAt = utc(d.CreatedAt), utc(d.UpdatedAt)
	return d, err
}

func (a *accounts) txDepartment(ctx context.Context, tx *Tx, id int64) (account.Department, error) {
	d, err := scanDepartment(tx.QueryRow(ctx, `SELECT `+departmentColumns+` FROM departments WHERE id = $1`, id))
	if err != nil {
		return d, notFound(err, "department", id)
	}
	return d, nil
}

func (a *accounts) CreateDepartment(ctx context.Context, actor authz.Actor, in account.DepartmentInput) (account.Department, error) {
	if err := authz.Require(actor, authz.ManageDepartment); err != nil {
		return account.Department{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return account.Department{}, err
	}
	var d account.Department
	err := a.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO departments (code, name, email, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, in.Code, in.Name, in.Email, tx.Now).Scan(&id)
		if isUnique(err) {
			return fault.Field("code", "the code %q is taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("insert department: %w", err)
		}
		if d, err = a.txDepartment(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "department.create", "department", strconv.FormatInt(id, 10), nil, d)
	})
	return d, err
}

func (a *accounts) UpdateDepartment(ctx context.Context, actor authz.Actor, id int64, in account.DepartmentInput) (account.Department, error) {
	if err := authz.Require(actor, authz.ManageDepartment); err != nil {
		return account.Department{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return account.Department{}, err
	}
	var after account.Department
	err := a.s.InTx(ctx, func(tx *Tx) error {
		before, err := a.txDepartment(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return fault.New(fault.Conflict, "department %s was changed by someone else since you opened it: reload and try again", before.Code)
		}
		res, err := tx.Exec(ctx, `UPDATE departments SET code = $1, name = $2, email = $3, updated_at = $4,
			version = version + 1 WHERE id = $5 AND version = $6`, in.Code, in.Name, in.Email, tx.Now, id, in.Version)
		if isUnique(err) {
			return fault.Field("code", "the code %q is taken", in.Code)
		}
		if err != nil {
			return fmt.Errorf("update department %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "department %s was changed by someone else: reload and try again", before.Code)
		}
		if after, err = a.txDepartment(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "department.update", "department", strconv.FormatInt(id, 10), before, after)
	})
	return after, err
}

func (a *accounts) DeleteDepartment(ctx context.Context, actor authz.Actor, id int64) error {
	if err := authz.Require(actor, authz.ManageDepartment); err != nil {
		return err
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		before, err := a.txDepartment(ctx, tx, id)
		if err != nil {
			return err
		}
		var members int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE department_id = $1`, id).Scan(&members); err != nil {
			return fmt.Errorf("count members: %w", err)
		}
		if members > 0 {
			return fault.New(fault.Conflict, "department %s still has %d member(s): move them first", before.Code, members)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM departments WHERE id = $1`, id); err != nil {
			if isForeignKey(err) {
				return fault.New(fault.Conflict, "department %s is still referenced", before.Code)
			}
			return fmt.Errorf("delete department %d: %w", id, err)
		}
		return tx.Audit(ctx, actor, "department.delete", "department", strconv.FormatInt(id, 10), before, nil)
	})
}

func (a *accounts) Department(ctx context.Context, id int64) (account.Department, error) {
	d, err := scanDepartment(a.s.reader.QueryRowContext(ctx, `SELECT `+departmentColumns+` FROM departments WHERE id = $1`, id))
	if err != nil {
		return d, notFound(err, "department", id)
	}
	return d, nil
}

func (a *accounts) ListDepartments(ctx context.Context, offset, limit int) ([]account.Department, int, error) {
	offset, limit = clampPage(offset, limit)
	var total int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM departments`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count departments: %w", err)
	}
	out, err := queryAll(ctx, a.s.reader, "departments", scanDepartment,
		`SELECT `+departmentColumns+` FROM departments ORDER BY name, id LIMIT $1 OFFSET $2`, limit, offset)
	return out, total, err
}
