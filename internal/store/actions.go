package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

// A drill's improvement actions are rows of the one action list (actions,
// source_kind 'drill'); drillActionColumns reads them in the drill's shape.
const drillActionColumns = `id, source_id, text, owner_id, due, link_kind, link_ref, state, done_by, done_at, verified_by, verified_at, created_at`

func scanAction(r rowScanner) (drill.Action, error) {
	var x drill.Action
	var state string
	var doneBy, verBy sql.NullInt64
	var doneAt, verAt sql.NullTime
	err := r.Scan(&x.ID, &x.DrillID, &x.Text, &x.OwnerID, &x.Due, &x.LinkKind, &x.LinkRef, &state, &doneBy, &doneAt, &verBy, &verAt, &x.CreatedAt)
	x.State, x.Due, x.CreatedAt = drill.ActionState(state), utc(x.Due), utc(x.CreatedAt)
	x.DoneBy, x.DoneAt, x.VerifiedBy, x.VerifiedAt = doneBy.Int64, timeOf(doneAt), verBy.Int64, timeOf(verAt)
	return x, err
}

func txAction(ctx context.Context, tx *Tx, id int64) (drill.Action, error) {
	x, err := scanAction(tx.QueryRow(ctx, `SELECT `+drillActionColumns+` FROM actions WHERE id = $1 AND source_kind = 'drill'`, id))
	if err != nil {
		return x, notFound(err, "action", id)
	}
	return x, nil
}

func (ds *drills) Actions(ctx context.Context, drillID int64) ([]drill.Action, error) {
	return queryAll(ctx, ds.s.reader, "actions", scanAction,
		`SELECT `+drillActionColumns+` FROM actions WHERE source_kind = 'drill' AND source_id = $1 ORDER BY due, id`, drillID)
}

// AddAction records an improvement action and schedules its due reminder.
func (ds *drills) AddAction(ctx context.Context, a authz.Actor, drillID int64, in drill.Action) (drill.Action, error) {
	var out drill.Action
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		d, err := txDrill(ctx, tx, drillID)
		if err != nil {
			return err
		}
		x, err := drill.NewAction(d, a, tx.Now, in)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, x.OwnerID).Scan(&n); err != nil {
			return fmt.Errorf("check owner: %w", err)
		}
		if n == 0 {
			return fault.Field("owner_id", "user %d does not exist or is disabled", x.OwnerID)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO actions (source_kind, source_id, crisis_id, text, owner_id, department_id, due, link_kind, link_ref, state, created_by, created_at)
			VALUES ('drill', $1, $2, $3, $4, (SELECT department_id FROM users WHERE id = $4), $5, $6, $7, 'open', $8, $9) RETURNING id`,
			d.ID, nullInt(d.CrisisID), x.Text, x.OwnerID, x.Due.UTC(), x.LinkKind, x.LinkRef, nullInt(a.UserID), tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("add action: %w", err)
		}
		if _, err := tx.Enqueue(ctx, drill.ActionDueArgs{ActionID: id}, &river.InsertOpts{ScheduledAt: x.Due}); err != nil {
			return err
		}
		if out, err = txAction(ctx, tx, id); err != nil {
			return err
		}
		// On the one action list, the action's clock is a deadline too.
		if err := tx.startActionClock(ctx, action.Action{ID: id, Source: action.Source{Kind: action.FromDrill, ID: d.ID}, CrisisID: d.CrisisID,
			Text: x.Text, OwnerID: x.OwnerID, Due: x.Due, Link: sourceLink(action.Source{Kind: action.FromDrill, ID: d.ID})}); err != nil {
			return err
		}
		tx.publishDrill(d.ID)
		return tx.Audit(ctx, a, "drill.action_add", "drill_action", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

func (ds *drills) changeAction(ctx context.Context, a authz.Actor, id int64, action string,
	fn func(drill.Action, time.Time) (drill.Action, error)) (drill.Action, error) {
	var out drill.Action
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		before, err := txAction(ctx, tx, id)
		if err != nil {
			return err
		}
		x, err := fn(before, tx.Now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE actions SET state = $1, done_by = $2, done_at = $3, verified_by = $4, verified_at = $5
			WHERE id = $6`, string(x.State), nullInt(x.DoneBy), nullTime(x.DoneAt), nullInt(x.VerifiedBy), nullTime(x.VerifiedAt), id); err != nil {
			return fmt.Errorf("%s action: %w", action, err)
		}
		if out, err = txAction(ctx, tx, id); err != nil {
			return err
		}
		if action == "done" {
			if err := tx.meetActionClock(ctx, id); err != nil {
				return err
			}
		}
		if out.Closed() {
			if err := tx.closeIfDone(ctx, a, out.DrillID); err != nil {
				return err
			}
		}
		tx.publishDrill(out.DrillID)
		return tx.Audit(ctx, a, "drill.action_"+action, "drill_action", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

func (ds *drills) CompleteAction(ctx context.Context, a authz.Actor, id int64) (drill.Action, error) {
	return ds.changeAction(ctx, a, id, "done", func(x drill.Action, now time.Time) (drill.Action, error) {
		return drill.CompleteAction(x, a, now)
	})
}

func (ds *drills) VerifyAction(ctx context.Context, a authz.Actor, id int64) (drill.Action, error) {
	return ds.changeAction(ctx, a, id, "verify", func(x drill.Action, now time.Time) (drill.Action, error) {
		return drill.VerifyAction(x, a, now)
	})
}

// closeIfDone closes an evaluated drill whose actions are all closed.
func (tx *Tx) closeIfDone(ctx context.Context, a authz.Actor, drillID int64) error {
	d, err := txDrill(ctx, tx, drillID)
	if err != nil || d.State != drill.Evaluated {
		return err
	}
	var open int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM actions WHERE source_kind = 'drill' AND source_id = $1 AND state <> 'verified'`, drillID).Scan(&open); err != nil {
		return fmt.Errorf("count open actions: %w", err)
	}
	if open > 0 || !authz.Can(a.Role, authz.ApproveDrill) {
		return nil
	}
	out, err := drill.Close(d, a, tx.Now, open)
	if err != nil {
		return err
	}
	set, args := setClause(drillCols(out)...)
	args = append(args, drillID)
	if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE drills SET %s, lock_version = lock_version + 1 WHERE id = $%d`, set, len(args)), args...); err != nil {
		return fmt.Errorf("close drill: %w", err)
	}
	return tx.Audit(ctx, a, "drill.close", "drill", strconv.FormatInt(drillID, 10), auditDrill(d), auditDrill(out))
}

// Close closes an evaluated drill with no open action.
func (ds *drills) Close(ctx context.Context, a authz.Actor, id int64) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "close", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM actions WHERE source_kind = 'drill' AND source_id = $1 AND state <> 'verified'`, id).Scan(&open); err != nil {
			return d, fmt.Errorf("count open actions: %w", err)
		}
		return drill.Close(d, a, tx.Now, open)
	})
}

// ActionDue is the reminder job's work: an action still open at its due
// time tells its owner in the app.
func (s *Store) ActionDue(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(tx *Tx) error {
		x, err := txAction(ctx, tx, id)
		if fault.Is(err, fault.NotFound) || (err == nil && x.State != drill.ActionOpen) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.drillMessage(ctx, x.DrillID, x.OwnerID, "action_due", strconv.FormatInt(id, 10), x.Text)
	})
}
