package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
)

// Resources returns the resources' service.
func (s *Store) Resources() resource.Service { return &resources{s} }

type resources struct{ s *Store }

var _ resource.Service = (*resources)(nil)

const itemColumns = `id, name, category, unit, quantity, minimum, location, acquisition, lease_end, expiry, version, updated_at`

func scanItem(r rowScanner) (resource.Item, error) {
	var it resource.Item
	var lease, expiry sql.NullTime
	if err := r.Scan(&it.ID, &it.Name, &it.Category, &it.Unit, &it.Quantity, &it.Minimum, &it.Location, &it.Acquisition,
		&lease, &expiry, &it.Version, &it.UpdatedAt); err != nil {
		return it, err
	}
	it.LeaseEnd, it.Expiry, it.UpdatedAt = timeOf(lease), timeOf(expiry), utc(it.UpdatedAt)
	return it, nil
}

func txItem(ctx context.Context, tx *Tx, id int64) (resource.Item, error) {
	it, err := scanItem(tx.QueryRow(ctx, `SELECT `+itemColumns+` FROM resource_items WHERE id = $1`, id))
	if err != nil {
		return it, notFound(err, "item", id)
	}
	return it, nil
}

func (rs *resources) Items(ctx context.Context) ([]resource.Item, error) {
	return queryAll(ctx, rs.s.reader, "items", scanItem, `SELECT `+itemColumns+` FROM resource_items ORDER BY category, name, id`)
}

func (rs *resources) Item(ctx context.Context, id int64) (resource.Item, error) {
	it, err := scanItem(rs.s.reader.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM resource_items WHERE id = $1`, id))
	if err != nil {
		return it, notFound(err, "item", id)
	}
	return it, nil
}

func insertItem(ctx context.Context, tx *Tx, a authz.Actor, it resource.Item) (resource.Item, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO resource_items (name, category, unit, quantity, minimum, location, acquisition, lease_end, expiry,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`, it.Name, it.Category, it.Unit, it.Quantity,
		it.Minimum, it.Location, it.Acquisition, nullTime(it.LeaseEnd), nullTime(it.Expiry), tx.Now).Scan(&id); err != nil {
		return it, fmt.Errorf("insert item: %w", err)
	}
	out, err := txItem(ctx, tx, id)
	if err != nil {
		return out, err
	}
	if out.Quantity > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO resource_movements (item_id, delta, reason, note, actor_id, at, qty_after)
			VALUES ($1, $2, $3, '', $4, $5, $2)`, id, out.Quantity, resource.Restock, nullInt(a.UserID), tx.Now); err != nil {
			return out, fmt.Errorf("record the first stock of item %d: %w", id, err)
		}
	}
	return out, tx.Audit(ctx, a, "item.create", "item", strconv.FormatInt(id, 10), nil, out)
}

func (rs *resources) AddItem(ctx context.Context, a authz.Actor, it resource.Item) (resource.Item, error) {
	if err := authz.Require(a, authz.ManageResources); err != nil {
		return it, err
	}
	it.Normalize()
	if err := it.Validate(); err != nil {
		return it, err
	}
	var out resource.Item
	err := rs.s.InTx(ctx, func(tx *Tx) (err error) {
		out, err = insertItem(ctx, tx, a, it)
		return err
	})
	return out, err
}

// updateItem changes an item's details but never its quantity.
func updateItem(ctx context.Context, tx *Tx, a authz.Actor, it resource.Item) (resource.Item, error) {
	before, err := txItem(ctx, tx, it.ID)
	if err != nil {
		return before, err
	}
	res, err := tx.Exec(ctx, `UPDATE resource_items SET name = $1, category = $2, unit = $3, minimum = $4, location = $5, acquisition = $6,
		lease_end = $7, expiry = $8, updated_at = $9, version = version + 1 WHERE id = $10 AND version = $11`,
		it.Name, it.Category, it.Unit, it.Minimum, it.Location, it.Acquisition, nullTime(it.LeaseEnd), nullTime(it.Expiry), tx.Now, it.ID, it.Version)
	if err != nil {
		return before, fmt.Errorf("update item %d: %w", it.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return before, fault.New(fault.Conflict, "item %s was changed by someone else: reload and try again", before.Name)
	}
	out, err := txItem(ctx, tx, it.ID)
	if err != nil {
		return out, err
	}
	return out, tx.Audit(ctx, a, "item.update", "item", strconv.FormatInt(it.ID, 10), before, out)
}

func (rs *resources) SaveItem(ctx context.Context, a authz.Actor, it resource.Item) (resource.Item, error) {
	if err := authz.Require(a, authz.ManageResources); err != nil {
		return it, err
	}
	it.Normalize()
	if err := it.Validate(); err != nil {
		return it, err
	}
	var out resource.Item
	err := rs.s.InTx(ctx, func(tx *Tx) (err error) {
		out, err = updateItem(ctx, tx, a, it)
		return err
	})
	return out, err
}

func (rs *resources) ImportItems(ctx context.Context, a authz.Actor, list []resource.Item) (int, error) {
	if err := authz.Require(a, authz.ManageResources); err != nil {
		return 0, err
	}
	var bad fault.Fields
	for i := range list {
		list[i].Normalize()
		for _, fe := range fault.FieldsOf(list[i].Validate()) {
			bad.Add(fmt.Sprintf("items[%d].%s", i, fe.Field), "%s", fe.Message)
		}
	}
	if err := bad.Err(); err != nil {
		return 0, err
	}
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		for _, it := range list {
			var id int64
			var qty int64
			err := tx.QueryRow(ctx, `SELECT id, quantity FROM resource_items WHERE name = $1 AND location = $2`, it.Name, it.Location).Scan(&id, &qty)
			switch {
			case err == sql.ErrNoRows:
				if _, err := insertItem(ctx, tx, a, it); err != nil {
					return err
				}
				continue
			case err != nil:
				return fmt.Errorf("find item %s: %w", it.Name, err)
			}
			cur, err := txItem(ctx, tx, id)
			if err != nil {
				return err
			}
			it.ID, it.Version = id, cur.Version
			if _, err := updateItem(ctx, tx, a, it); err != nil {
				return err
			}
			if d := it.Quantity - qty; d != 0 {
				if _, err := moveItem(ctx, tx, a, resource.Movement{ItemID: id, Delta: d, Reason: resource.Adjust, Note: "import"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

func moveItem(ctx context.Context, tx *Tx, a authz.Actor, m resource.Movement) (resource.Movement, error) {
	before, err := txItem(ctx, tx, m.ItemID)
	if err != nil {
		return m, err
	}
	after, m, err := resource.Move(before, m)
	if err != nil {
		return m, err
	}
	if err := checkTargets(ctx, tx, m.CrisisID, m.DrillID); err != nil {
		return m, err
	}
	// The quantity is changed relative to the stored one and guarded, so
	// that two movements at once can never take it below zero.
	res, err := tx.Exec(ctx, `UPDATE resource_items SET quantity = quantity + $1, updated_at = $2, version = version + 1
		WHERE id = $3 AND quantity + $1 >= 0`, m.Delta, tx.Now, m.ItemID)
	if err != nil {
		return m, fmt.Errorf("move item %d: %w", m.ItemID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return m, fault.Field("quantity", "only %d %s of %s are on hand", before.Quantity, before.Unit, before.Name)
	}
	m.ActorID, m.At = a.UserID, tx.Now
	if err := tx.QueryRow(ctx, `INSERT INTO resource_movements (item_id, delta, reason, crisis_id, drill_id, note, actor_id, at, qty_after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, m.ItemID, m.Delta, m.Reason, nullInt(m.CrisisID), nullInt(m.DrillID),
		m.Note, nullInt(a.UserID), tx.Now, after.Quantity).Scan(&m.ID); err != nil {
		return m, fmt.Errorf("record movement of item %d: %w", m.ItemID, err)
	}
	return m, tx.Audit(ctx, a, "item.move", "item", strconv.FormatInt(m.ItemID, 10),
		map[string]any{"quantity": before.Quantity}, map[string]any{"quantity": after.Quantity, "movement": m})
}

// checkTargets refuses a crisis or drill that does not exist.
func checkTargets(ctx context.Context, tx *Tx, crisisID, drillID int64) error {
	var f fault.Fields
	for _, c := range []struct {
		field, table string
		id           int64
	}{{"crisis_id", "crises", crisisID}, {"drill_id", "drills", drillID}} {
		if c.id == 0 {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE id = $1`, c.id).Scan(&n); err != nil {
			return fmt.Errorf("check %s: %w", c.field, err)
		}
		if n == 0 {
			f.Add(c.field, "there is no %s %d", c.table, c.id)
		}
	}
	return f.Err()
}

func (rs *resources) MoveItem(ctx context.Context, a authz.Actor, m resource.Movement) (resource.Movement, error) {
	if err := authz.Require(a, authz.AllocateResources); err != nil {
		return m, err
	}
	err := rs.s.InTx(ctx, func(tx *Tx) (err error) {
		m, err = moveItem(ctx, tx, a, m)
		return err
	})
	return m, err
}

const movementColumns = `id, item_id, delta, reason, crisis_id, drill_id, note, actor_id, at, qty_after`

func scanMovement(r rowScanner) (resource.Movement, error) {
	var m resource.Movement
	var crisisID, drillID, actorID sql.NullInt64
	if err := r.Scan(&m.ID, &m.ItemID, &m.Delta, &m.Reason, &crisisID, &drillID, &m.Note, &actorID, &m.At, &m.After); err != nil {
		return m, err
	}
	m.CrisisID, m.DrillID, m.ActorID, m.At = crisisID.Int64, drillID.Int64, actorID.Int64, utc(m.At)
	return m, nil
}

func (rs *resources) Movements(ctx context.Context, f resource.MovementFilter) ([]resource.Movement, error) {
	_, limit := clampPage(0, f.Limit)
	cond, args := "1 = 1", []any{}
	if f.ItemID != 0 {
		args = append(args, f.ItemID)
		cond += fmt.Sprintf(" AND item_id = $%d", len(args))
	}
	if f.CrisisID != 0 {
		args = append(args, f.CrisisID)
		cond += fmt.Sprintf(" AND crisis_id = $%d", len(args))
	}
	args = append(args, limit)
	return queryAll(ctx, rs.s.reader, "movements", scanMovement, fmt.Sprintf(`SELECT `+movementColumns+
		` FROM resource_movements WHERE %s ORDER BY at DESC, id DESC LIMIT $%d`, cond, len(args)), args...)
}
