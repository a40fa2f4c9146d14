package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

const injectColumns = `id, drill_id, seq, at_offset, at_time, due_at, sender, recipient, channel, message, expected, state,
	delivered_at, created_at, updated_at`

func scanInject(r rowScanner) (drill.Inject, error) {
	var i drill.Inject
	var offset sql.NullInt64
	var at, delivered sql.NullTime
	var state string
	if err := r.Scan(&i.ID, &i.DrillID, &i.Seq, &offset, &at, &i.DueAt, &i.From, &i.To, &i.Channel, &i.Message, &i.Expected,
		&state, &delivered, &i.CreatedAt, &i.UpdatedAt); err != nil {
		return i, err
	}
	i.Relative, i.Offset, i.At = offset.Valid, time.Duration(offset.Int64), timeOf(at)
	i.State, i.DeliveredAt = drill.InjectState(state), timeOf(delivered)
	i.DueAt, i.CreatedAt, i.UpdatedAt = utc(i.DueAt), utc(i.CreatedAt), utc(i.UpdatedAt)
	return i, nil
}

func txInject(ctx context.Context, tx *Tx, id int64) (drill.Inject, error) {
	i, err := scanInject(tx.QueryRow(ctx, `SELECT `+injectColumns+` FROM drill_injects WHERE id = $1`, id))
	if err != nil {
		return i, notFound(err, "inject", id)
	}
	return i, nil
}

func (ds *drills) Injects(ctx context.Context, drillID int64) ([]drill.Inject, error) {
	return queryAll(ctx, ds.s.reader, "injects", scanInject,
		`SELECT `+injectColumns+` FROM drill_injects WHERE drill_id = $1 ORDER BY due_at, seq`, drillID)
}

// auditInject is the audit trail's view of an inject.
func auditInject(i drill.Inject) map[string]any {
	return map[string]any{"drill_id": i.DrillID, "seq": i.Seq, "relative": i.Relative, "offset": i.Offset.String(),
		"at": i.At, "due_at": i.DueAt, "from": i.From, "to": i.To, "channel": i.Channel, "message": i.Message,
		"expected": i.Expected, "state": i.State}
}

// insertInject checks inject in against drill d and adds it; a pending
// inject of a running drill gets its job at once.
func (tx *Tx) insertInject(ctx context.Context, a authz.Actor, d drill.Drill, in drill.Inject) (drill.Inject, error) {
	drill.NormalizeInject(&in)
	if err := drill.ValidateInject(d, in); err != nil {
		return in, err
	}
	in.DueAt = drill.Due(d, in).Truncate(time.Microsecond)
	if d.State == drill.Running && !d.PausedAt.IsZero() {
		in.DueAt = in.DueAt.Add(tx.Now.Sub(d.PausedAt)) // counts from the resumption
	}
	var offset sql.NullInt64
	if in.Relative {
		offset = sql.NullInt64{Int64: int64(in.Offset), Valid: true}
	}
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM drill_injects WHERE drill_id = $1`, d.ID).Scan(&in.Seq); err != nil {
		return in, fmt.Errorf("number inject: %w", err)
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO drill_injects (drill_id, seq, at_offset, at_time, due_at, sender, recipient, channel,
		message, expected, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11) RETURNING id`,
		d.ID, in.Seq, offset, nullTime(in.At), in.DueAt, in.From, in.To, in.Channel, in.Message, in.Expected, tx.Now).Scan(&id); err != nil {
		return in, fmt.Errorf("insert inject: %w", err)
	}
	out, err := txInject(ctx, tx, id)
	if err != nil {
		return out, err
	}
	if d.State == drill.Running && d.PausedAt.IsZero() {
		if err := tx.enqueueInject(ctx, out); err != nil {
			return out, err
		}
	}
	tx.publishDrill(d.ID)
	return out, tx.Audit(ctx, a, "drill.inject_add", "drill_inject", strconv.FormatInt(id, 10), nil, auditInject(out))
}

func (tx *Tx) enqueueInject(ctx context.Context, i drill.Inject) error {
	_, err := tx.Enqueue(ctx, drill.InjectArgs{InjectID: i.ID, DueAt: i.DueAt}, &river.InsertOpts{ScheduledAt: i.DueAt, Priority: 1})
	return err
}

// scheduleInjects sets the due time of every pending inject of the
// running drill d — from its start, or moved on by held after a pause —
// and enqueues its job. Times keep the store's microseconds, so that a
// job's due time matches the row's.
func (tx *Tx) scheduleInjects(ctx context.Context, d drill.Drill, resumed bool, held time.Duration) error {
	pending, err := queryAll(ctx, tx, "injects", scanInject,
		`SELECT `+injectColumns+` FROM drill_injects WHERE drill_id = $1 AND state = 'pending' ORDER BY seq`, d.ID)
	if err != nil {
		return err
	}
	for _, i := range pending {
		if resumed {
			i.DueAt = i.DueAt.Add(held)
		} else {
			i.DueAt = drill.Due(d, i)
		}
		i.DueAt = i.DueAt.Truncate(time.Microsecond)
		if _, err := tx.Exec(ctx, `UPDATE drill_injects SET due_at = $1, updated_at = $2 WHERE id = $3`, i.DueAt, tx.Now, i.ID); err != nil {
			return fmt.Errorf("schedule inject: %w", err)
		}
		if err := tx.enqueueInject(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

func (ds *drills) AddInject(ctx context.Context, a authz.Actor, drillID int64, in drill.Inject) (drill.Inject, error) {
	var out drill.Inject
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		if err := drill.CanAddInject(d, a); err != nil {
			return err
		}
		out, err = tx.insertInject(ctx, a, d, in)
		return err
	})
	return out, err
}

// ImportInjects adds every inject of list to a drill that has not
// started, or none: a refusal names the row (injects[i].field).
func (ds *drills) ImportInjects(ctx context.Context, a authz.Actor, drillID int64, list []drill.Inject) (int, error) {
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		if d.State != drill.Planned && d.State != drill.Ready {
			return fault.New(fault.Conflict, "injects are imported before the drill starts; this drill is %s", d.State)
		}
		if err := drill.CanAddInject(d, a); err != nil {
			return err
		}
		var bad fault.Fields
		for n, in := range list {
			if _, err := tx.insertInject(ctx, a, d, in); err != nil {
				if fault.CodeOf(err) != fault.Invalid {
					return err
				}
				for _, fe := range fault.FieldsOf(err) {
					bad.Add(fmt.Sprintf("injects[%d].%s", n, fe.Field), "%s", fe.Message)
				}
			}
		}
		return bad.Err()
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

// controlInject runs a controller's command on a pending inject of a
// running drill.
func (ds *drills) controlInject(ctx context.Context, a authz.Actor, id int64, action string,
	fn func(tx *Tx, d drill.Drill, i drill.Inject) error) (drill.Inject, error) {
	var out drill.Inject
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		i, err := txInject(ctx, tx, id)
		if err != nil {
			return err
		}
		d, err := txDrill(ctx, tx, i.DrillID)
		if err != nil {
			return err
		}
		if err := drill.Control(d, a); err != nil {
			return err
		}
		if i.State != drill.InjectPending {
			return fault.New(fault.Conflict, "inject #%d is %s already", i.Seq, i.State)
		}
		if err := fn(tx, d, i); err != nil {
			return err
		}
		if out, err = txInject(ctx, tx, id); err != nil {
			return err
		}
		tx.publishDrill(d.ID)
		return tx.Audit(ctx, a, "drill.inject_"+action, "drill_inject", strconv.FormatInt(id, 10), auditInject(i), auditInject(out))
	})
	return out, err
}

// FireInject delivers a pending inject now, ahead of its time.
func (ds *drills) FireInject(ctx context.Context, a authz.Actor, id int64) (drill.Inject, error) {
	return ds.controlInject(ctx, a, id, "fire", func(tx *Tx, d drill.Drill, i drill.Inject) error {
		return tx.deliverInject(ctx, d, i, a.Name)
	})
}

// SkipInject skips a pending inject; its job then does nothing.
func (ds *drills) SkipInject(ctx context.Context, a authz.Actor, id int64) (drill.Inject, error) {
	return ds.controlInject(ctx, a, id, "skip", func(tx *Tx, d drill.Drill, i drill.Inject) error {
		if _, err := tx.Exec(ctx, `UPDATE drill_injects SET state = 'skipped', updated_at = $1 WHERE id = $2`, tx.Now, i.ID); err != nil {
			return fmt.Errorf("skip inject: %w", err)
		}
		return tx.note(ctx, d.CrisisID, a, "inject_skipped", crisis.M("systext.inject_skipped", "Seq", strconv.Itoa(i.Seq), "Name", a.Name))
	})
}

func (ds *drills) Pause(ctx context.Context, a authz.Actor, id int64) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "pause", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.Pause(d, a, tx.Now)
		if err != nil {
			return d, err
		}
		return out, tx.note(ctx, d.CrisisID, a, "drill_paused", crisis.M("systext.drill_paused", "Name", a.Name))
	})
}

// Resume moves every pending inject on by the pause and schedules it
// again; the jobs from before the pause find their time changed and do
// nothing.
func (ds *drills) Resume(ctx context.Context, a authz.Actor, id int64) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "resume", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, held, err := drill.Resume(d, a, tx.Now)
		if err != nil {
			return d, err
		}
		if err := tx.scheduleInjects(ctx, out, true, held); err != nil {
			return d, err
		}
		return out, tx.note(ctx, d.CrisisID, a, "drill_resumed", crisis.M("systext.drill_resumed", "Name", a.Name, "Held", held.Round(time.Second).String()))
	})
}

// DeliverInject is the inject job's work: it delivers inject id when it
// is still due at due (drill.Deliverable); otherwise it does nothing.
func (s *Store) DeliverInject(ctx context.Context, id int64, due time.Time) (bool, error) {
	delivered := false
	err := s.InTx(ctx, func(tx *Tx) error {
		i, err := txInject(ctx, tx, id)
		if fault.Is(err, fault.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		d, err := txDrill(ctx, tx, i.DrillID)
		if err != nil {
			return err
		}
		if !drill.Deliverable(d, i, due.UTC()) {
			return nil
		}
		delivered = true
		if err := tx.deliverInject(ctx, d, i, ""); err != nil {
			return err
		}
		tx.publishDrill(d.ID)
		after := auditInject(i)
		after["state"] = drill.InjectDelivered
		return tx.Audit(ctx, authz.System(authz.SourceSystem, "crisisdesk"), "drill.inject_deliver", "drill_inject",
			strconv.FormatInt(id, 10), auditInject(i), after)
	})
	return delivered, err
}

// deliverInject puts inject i into the exercise crisis room's timeline
// and sends it in the app to its people: the users on the drill with the
// role it names, or the user it names. early names who fired it early,
// "" when it came at its time.
func (tx *Tx) deliverInject(ctx context.Context, d drill.Drill, i drill.Inject, early string) error {
	if _, err := tx.Exec(ctx, `UPDATE drill_injects SET state = 'delivered', delivered_at = $1, updated_at = $1 WHERE id = $2`, tx.Now, i.ID); err != nil {
		return fmt.Errorf("deliver inject: %w", err)
	}
	key := "systext.inject"
	if i.Expected != "" {
		key += "_expected"
	}
	if early != "" {
		key += "_early"
	}
	m := crisis.M(key, "Seq", strconv.Itoa(i.Seq), "From", i.From, "To", i.To, "Channel", i.Channel, "Message", i.Message,
		"Expected", i.Expected, "Name", early)
	if err := tx.note(ctx, d.CrisisID, authz.System(authz.SourceSystem, "crisisdesk"), "inject", m); err != nil {
		return err
	}
	var to []int64
	if role := authz.Role(i.To); role.Valid() {
		for _, id := range d.People() {
			var r string
			if err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, id).Scan(&r); err != nil {
				return fmt.Errorf("inject recipients: %w", err)
			}
			if authz.Role(r) == role {
				to = append(to, id)
			}
		}
	} else {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE name = $1 AND NOT disabled`, i.To).Scan(&id)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("inject recipient: %w", err)
		}
		if id != 0 {
			to = append(to, id)
		}
	}
	msg := fmt.Sprintf("#%d %s → %s: %s", i.Seq, i.From, i.To, i.Message)
	for _, uid := range to {
		record := tx.drillMessage
		if i.Channel == "email" {
			record = tx.mailDrillMessage
		}
		if err := record(ctx, d.ID, uid, "inject", strconv.FormatInt(i.ID, 10), msg); err != nil {
			return err
		}
	}
	return nil
}
