package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
)

// actionList implements action.Service over the actions table, with the
// post-crisis reviews' action items read through.
type actionList struct{ s *Store }

// Actions returns the one action list.
func (s *Store) Actions() action.Service { return &actionList{s} }

const listActionColumns = `id, source_kind, source_id, crisis_id, text, owner_id, department_id, due, link_kind, link_ref, state,
	done_by, done_at, verified_by, verified_at, created_by, created_at`

func scanListAction(r rowScanner) (action.Action, error) {
	var x action.Action
	var kind, state string
	var crisisID, dept, doneBy, verBy, createdBy sql.NullInt64
	var doneAt, verAt sql.NullTime
	err := r.Scan(&x.ID, &kind, &x.Source.ID, &crisisID, &x.Text, &x.OwnerID, &dept, &x.Due, &x.LinkKind, &x.LinkRef, &state,
		&doneBy, &doneAt, &verBy, &verAt, &createdBy, &x.CreatedAt)
	x.Source.Kind, x.State = action.SourceKind(kind), action.State(state)
	x.CrisisID, x.DepartmentID, x.DoneBy, x.VerifiedBy, x.CreatedBy = crisisID.Int64, dept.Int64, doneBy.Int64, verBy.Int64, createdBy.Int64
	x.Due, x.CreatedAt, x.DoneAt, x.VerifiedAt = utc(x.Due), utc(x.CreatedAt), timeOf(doneAt), timeOf(verAt)
	x.Link = sourceLink(x.Source)
	return x, err
}

// sourceLink is the desk page of an action's source.
func sourceLink(s action.Source) string {
	id := strconv.FormatInt(s.ID, 10)
	switch s.Kind {
	case action.FromMeeting:
		return "/desk/meetings/" + id
	case action.FromDrill:
		return "/desk/drills/" + id + "/report#report-actions"
	case action.FromReview:
		return "/desk/crises/" + id + "/review"
	case action.FromRisk:
		return "/desk/risks/" + id
	case action.FromFeedback:
		return "/desk/feedback/" + id
	}
	return ""
}

func txListAction(ctx context.Context, tx *Tx, id int64) (action.Action, error) {
	x, err := scanListAction(tx.QueryRow(ctx, `SELECT `+listActionColumns+` FROM actions WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "action", id)
	}
	return x, nil
}

func (al *actionList) Get(ctx context.Context, id int64) (action.Action, error) {
	x, err := scanListAction(al.s.reader.QueryRowContext(ctx, `SELECT `+listActionColumns+` FROM actions WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "action", id)
	}
	return x, nil
}

func (al *actionList) List(ctx context.Context, f action.Filter) ([]action.Action, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.Source != "" {
		add("source_kind = $%d", string(f.Source))
		if f.SourceID > 0 {
			add("source_id = $%d", f.SourceID)
		}
	}
	if f.OwnerID > 0 {
		add("owner_id = $%d", f.OwnerID)
	}
	if f.DepartmentID > 0 {
		add("department_id = $%d", f.DepartmentID)
	}
	if f.State != "" {
		add("state = $%d", string(f.State))
	}
	if f.OpenOnly {
		conds = append(conds, "state <> 'verified'")
	}
	if !f.DueBefore.IsZero() {
		add("due < $%d", f.DueBefore.UTC())
	}
	if !f.CreatedFrom.IsZero() {
		add("created_at >= $%d", f.CreatedFrom.UTC())
	}
	if !f.CreatedTo.IsZero() {
		add("created_at < $%d", f.CreatedTo.UTC())
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	out, err := queryAll(ctx, al.s.reader, "actions", scanListAction, `SELECT `+listActionColumns+` FROM actions`+where+` ORDER BY due, id`, args...)
	if err != nil {
		return nil, err
	}
	if f.Source == "" || f.Source == action.FromReview {
		items, err := al.reviewItems(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	if f.Source == "" || f.Source == action.FromRisk {
		items, err := al.mitigationItems(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	slices.SortStableFunc(out, func(a, b action.Action) int { return a.Due.Compare(b.Due) })
	return out, nil
}

// mitigationItems reads the risk register's mitigations that have an
// owner as read-only actions: they are tracked, and their execution
// logged, on the risk's page; here they are shown and counted with
// everything else each person owes. A dropped mitigation is left out; a
// done one is done (mitigations have no verified step).
func (al *actionList) mitigationItems(ctx context.Context, f action.Filter) ([]action.Action, error) {
	rows, err := queryAll(ctx, al.s.reader, "mitigations", func(r rowScanner) (action.Action, error) {
		var x action.Action
		var riskID int64
		var key, status string
		var done sql.NullTime
		err := r.Scan(&x.ID, &riskID, &key, &x.Text, &x.OwnerID, &x.Due, &status, &done, &x.CreatedAt)
		x.Source, x.ReadOnly, x.Due, x.CreatedAt = action.Source{Kind: action.FromRisk, ID: riskID}, true, utc(x.Due), utc(x.CreatedAt)
		x.State = action.Open
		if status == "done" {
			x.State, x.DoneAt = action.Done, timeOf(done)
		}
		if x.Text == "" && key != "" {
			x.TextKey = "risk.default." + key + ".mitigation"
		}
		x.ID = 0 // a mitigation's id is not an action's
		x.Link = sourceLink(x.Source)
		return x, err
	}, `SELECT id, risk_id, tpl_key, text, owner_id, due, status, done_at, created_at FROM risk_mitigations
		WHERE owner_id IS NOT NULL AND status <> 'dropped' ORDER BY due, id`)
	if err != nil {
		return nil, err
	}
	var out []action.Action
	for _, x := range rows {
		if f.Source == action.FromRisk && f.SourceID > 0 && x.Source.ID != f.SourceID {
			continue
		}
		if f.OpenOnly && x.State == action.Done {
			continue // done is closed for a mitigation: nothing left to verify
		}
		if keepReviewItem(f, x) {
			out = append(out, x)
		}
	}
	if f.DepartmentID > 0 && len(out) > 0 {
		return al.inDepartment(ctx, out, f.DepartmentID)
	}
	return out, nil
}

// reviewItems reads the post-crisis reviews' action items as read-only
// actions. They have no id and no verified step of their own (they are
// written, and ticked, on the review page), so they are shown, counted and
// filtered here but changed there; an item without an owner or a due date is
// left out.
func (al *actionList) reviewItems(ctx context.Context, f action.Filter) ([]action.Action, error) {
	type review struct {
		crisisID int64
		items    string
		at       time.Time
	}
	rows, err := queryAll(ctx, al.s.reader, "reviews", func(r rowScanner) (review, error) {
		var v review
		err := r.Scan(&v.crisisID, &v.items, &v.at)
		return v, err
	}, `SELECT crisis_id, action_items, updated_at FROM crisis_reviews WHERE action_items <> '[]' ORDER BY crisis_id`)
	if err != nil {
		return nil, err
	}
	var out []action.Action
	for _, v := range rows {
		if f.Source == action.FromReview && f.SourceID > 0 && v.crisisID != f.SourceID {
			continue
		}
		var items []crisis.ActionItem
		if err := jsonUnmarshal(v.items, &items); err != nil {
			return nil, fmt.Errorf("review of crisis %d: %w", v.crisisID, err)
		}
		for _, it := range items {
			if it.OwnerID == 0 || it.DueAt.IsZero() {
				continue
			}
			x := action.Action{Source: action.Source{Kind: action.FromReview, ID: v.crisisID}, CrisisID: v.crisisID,
				Text: it.Text, OwnerID: it.OwnerID, Due: it.DueAt.UTC(), State: action.Open, CreatedAt: utc(v.at), ReadOnly: true}
			if it.Done {
				x.State, x.DoneAt = action.Done, utc(v.at)
			}
			x.Link = sourceLink(x.Source)
			if keepReviewItem(f, x) {
				out = append(out, x)
			}
		}
	}
	if f.DepartmentID > 0 && len(out) > 0 {
		return al.inDepartment(ctx, out, f.DepartmentID)
	}
	return out, nil
}

func keepReviewItem(f action.Filter, x action.Action) bool {
	switch {
	case f.OwnerID > 0 && x.OwnerID != f.OwnerID,
		f.State != "" && x.State != f.State,
		!f.DueBefore.IsZero() && !x.Due.Before(f.DueBefore),
		!f.CreatedFrom.IsZero() && x.CreatedAt.Before(f.CreatedFrom),
		!f.CreatedTo.IsZero() && !x.CreatedAt.Before(f.CreatedTo):
		return false
	}
	return true
}

// inDepartment keeps the review items whose owner is in department dept,
// and names the department on them.
func (al *actionList) inDepartment(ctx context.Context, list []action.Action, dept int64) ([]action.Action, error) {
	ids, err := queryAll(ctx, al.s.reader, "users", func(r rowScanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	}, `SELECT id FROM users WHERE department_id = $1`, dept)
	if err != nil {
		return nil, err
	}
	var out []action.Action
	for _, x := range list {
		if slices.Contains(ids, x.OwnerID) {
			x.DepartmentID = dept
			out = append(out, x)
		}
	}
	return out, nil
}

func (al *actionList) Add(ctx context.Context, a authz.Actor, in action.Action) (action.Action, error) {
	if err := authz.Require(a, authz.ManageActions); err != nil {
		return in, err
	}
	if in.Source.Kind == action.FromDrill || in.Source.Kind == action.FromReview {
		return in, fault.Field("source", "a drill's actions are added on its report, a review's items on the review")
	}
	var out action.Action
	err := al.s.InTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.AddAction(ctx, a, in)
		return err
	})
	return out, err
}

// AddAction records an action inside a transaction: the meeting's minutes,
// a risk's mitigation and a feedback's follow-up add theirs this way, with
// their own permission already checked. It starts the action's due clock.
func (tx *Tx) AddAction(ctx context.Context, a authz.Actor, in action.Action) (action.Action, error) {
	x, err := action.Check(in, tx.Now)
	if err != nil {
		return x, err
	}
	var dept sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT department_id FROM users WHERE id = $1 AND NOT disabled`, x.OwnerID).Scan(&dept); err != nil {
		if err == sql.ErrNoRows {
			return x, fault.Field("owner_id", "user %d does not exist or is disabled", x.OwnerID)
		}
		return x, fmt.Errorf("check owner: %w", err)
	}
	if x.DepartmentID == 0 {
		x.DepartmentID = dept.Int64
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO actions (source_kind, source_id, crisis_id, text, owner_id, department_id, due, link_kind, link_ref,
		state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11) RETURNING id`,
		string(x.Source.Kind), x.Source.ID, nullInt(x.CrisisID), x.Text, x.OwnerID, nullInt(x.DepartmentID), x.Due.UTC(),
		x.LinkKind, x.LinkRef, nullInt(a.UserID), tx.Now).Scan(&id); err != nil {
		if isForeignKey(err) {
			return x, fault.Field("department_id", "no such department or crisis")
		}
		return x, fmt.Errorf("add action: %w", err)
	}
	out, err := txListAction(ctx, tx, id)
	if err != nil {
		return out, err
	}
	if err := tx.startActionClock(ctx, out); err != nil {
		return out, err
	}
	return out, tx.Audit(ctx, a, "action.add", "action", strconv.FormatInt(id, 10), nil, out)
}

func (al *actionList) Complete(ctx context.Context, a authz.Actor, id int64) (action.Action, error) {
	return al.change(ctx, a, id, "done", action.Complete)
}

func (al *actionList) Verify(ctx context.Context, a authz.Actor, id int64) (action.Action, error) {
	return al.change(ctx, a, id, "verify", action.Verify)
}

func (al *actionList) change(ctx context.Context, a authz.Actor, id int64, what string,
	fn func(action.Action, authz.Actor, time.Time) (action.Action, error)) (action.Action, error) {
	x, err := al.Get(ctx, id)
	if err != nil {
		return x, err
	}
	if x.Source.Kind == action.FromDrill {
		// A drill's action follows the drill's rules (its evaluators and
		// approvers) and may close the drill.
		ds := &drills{al.s}
		if what == "done" {
			_, err = ds.CompleteAction(ctx, a, id)
		} else {
			_, err = ds.VerifyAction(ctx, a, id)
		}
		if err != nil {
			return x, err
		}
		return al.Get(ctx, id)
	}
	var out action.Action
	err = al.s.InTx(ctx, func(tx *Tx) error {
		before, err := txListAction(ctx, tx, id)
		if err != nil {
			return err
		}
		after, err := fn(before, a, tx.Now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE actions SET state = $1, done_by = $2, done_at = $3, verified_by = $4, verified_at = $5 WHERE id = $6`,
			string(after.State), nullInt(after.DoneBy), nullTime(after.DoneAt), nullInt(after.VerifiedBy), nullTime(after.VerifiedAt), id); err != nil {
			return fmt.Errorf("%s action: %w", what, err)
		}
		if out, err = txListAction(ctx, tx, id); err != nil {
			return err
		}
		if what == "done" {
			if err := tx.meetActionClock(ctx, id); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "action."+what, "action", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}
