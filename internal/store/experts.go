package store

import (
	"context"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/fault"
)

// Experts returns the outside experts' service.
func (s *Store) Experts() expert.Service { return &experts{s} }

type experts struct{ s *Store }

var _ expert.Service = (*experts)(nil)

const expertColumns = `id, name, organisation, field, email, phone, languages, active, created_at, updated_at, version`

func scanExpert(r rowScanner) (expert.Expert, error) {
	var e expert.Expert
	var langs string
	if err := r.Scan(&e.ID, &e.Name, &e.Organisation, &e.Field, &e.Email, &e.Phone, &langs, &e.Active,
		&e.CreatedAt, &e.UpdatedAt, &e.Version); err != nil {
		return e, err
	}
	e.CreatedAt, e.UpdatedAt = utc(e.CreatedAt), utc(e.UpdatedAt)
	if err := jsonUnmarshal(langs, &e.Languages); err != nil {
		return e, fmt.Errorf("expert %d languages: %w", e.ID, err)
	}
	return e, nil
}

func txExpert(ctx context.Context, tx *Tx, id int64) (expert.Expert, error) {
	e, err := scanExpert(tx.QueryRow(ctx, `SELECT `+expertColumns+` FROM experts WHERE id = $1`, id))
	if err != nil {
		return e, notFound(err, "expert", id)
	}
	return e, nil
}

func (x *experts) Create(ctx context.Context, actor authz.Actor, in expert.Input) (expert.Expert, error) {
	if err := authz.Require(actor, authz.ManageExperts); err != nil {
		return expert.Expert{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return expert.Expert{}, err
	}
	var e expert.Expert
	err := x.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO experts (name, organisation, field, email, phone, languages, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, in.Name, in.Organisation, in.Field, in.Email, in.Phone,
			mustJSON(orEmpty(in.Languages)), in.Active, tx.Now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert expert: %w", err)
		}
		if e, err = txExpert(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "expert.create", "expert", strconv.FormatInt(id, 10), nil, e)
	})
	return e, err
}

func (x *experts) Update(ctx context.Context, actor authz.Actor, id int64, in expert.Input) (expert.Expert, error) {
	if err := authz.Require(actor, authz.ManageExperts); err != nil {
		return expert.Expert{}, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return expert.Expert{}, err
	}
	var after expert.Expert
	err := x.s.InTx(ctx, func(tx *Tx) error {
		before, err := txExpert(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return fault.New(fault.Conflict, "expert %s was changed by someone else since you opened it: reload and try again", before.Name)
		}
		res, err := tx.Exec(ctx, `UPDATE experts SET name = $1, organisation = $2, field = $3, email = $4, phone = $5,
			languages = $6, active = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10`,
			in.Name, in.Organisation, in.Field, in.Email, in.Phone, mustJSON(orEmpty(in.Languages)), in.Active, tx.Now, id, in.Version)
		if err != nil {
			return fmt.Errorf("update expert %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "expert %s was changed by someone else: reload and try again", before.Name)
		}
		if after, err = txExpert(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "expert.update", "expert", strconv.FormatInt(id, 10), before, after)
	})
	return after, err
}

func (x *experts) Delete(ctx context.Context, actor authz.Actor, id int64) error {
	if err := authz.Require(actor, authz.ManageExperts); err != nil {
		return err
	}
	return x.s.InTx(ctx, func(tx *Tx) error {
		before, err := txExpert(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM experts WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete expert %d: %w", id, err)
		}
		return tx.Audit(ctx, actor, "expert.delete", "expert", strconv.FormatInt(id, 10), before, nil)
	})
}

func (x *experts) Get(ctx context.Context, id int64) (expert.Expert, error) {
	e, err := scanExpert(x.s.reader.QueryRowContext(ctx, `SELECT `+expertColumns+` FROM experts WHERE id = $1`, id))
	if err != nil {
		return e, notFound(err, "expert", id)
	}
	return e, nil
}

func (x *experts) List(ctx context.Context, offset, limit int) ([]expert.Expert, int, error) {
	offset, limit = clampPage(offset, limit)
	var total int
	if err := x.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM experts`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count experts: %w", err)
	}
	out, err := queryAll(ctx, x.s.reader, "experts", scanExpert,
		`SELECT `+expertColumns+` FROM experts ORDER BY name, id LIMIT $1 OFFSET $2`, limit, offset)
	return out, total, err
}
