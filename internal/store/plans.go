package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

const planColumns = `id, code, version, type_id, status, title, body, author_id, reviewer_id, approver_id,
	submitted_at, reviewed_at, approved_at, review_due, signatures, created_at, updated_at, lock_version`

func scanPlan(r rowScanner) (plan.Plan, error) {
	var p plan.Plan
	var status, body, sigs string
	var reviewer, approver sql.NullInt64
	var submitted, reviewed, approved, due sql.NullTime
	if err := r.Scan(&p.ID, &p.Code, &p.Version, &p.TypeID, &status, &p.Title, &body, &p.AuthorID, &reviewer, &approver,
		&submitted, &reviewed, &approved, &due, &sigs, &p.CreatedAt, &p.UpdatedAt, &p.Lock); err != nil {
		return p, err
	}
	p.Status = plan.Status(status)
	p.ReviewerID, p.ApproverID = reviewer.Int64, approver.Int64
	p.SubmittedAt, p.ReviewedAt, p.ApprovedAt, p.ReviewDue = timeOf(submitted), timeOf(reviewed), timeOf(approved), timeOf(due)
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	if err := json.Unmarshal([]byte(body), &p.Body); err != nil {
		return p, fmt.Errorf("plan %d body: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(sigs), &p.Signatures); err != nil {
		return p, fmt.Errorf("plan %d signatures: %w", p.ID, err)
	}
	return p, nil
}

func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func txPlan(ctx context.Context, tx *Tx, id int64) (plan.Plan, error) {
	p, err := scanPlan(tx.QueryRow(ctx, `SELECT `+planColumns+` FROM plans WHERE id = $1`, id))
	if err != nil {
		return p, notFound(err, "plan", id)
	}
	return p, nil
}

func (p *plans) Get(ctx context.Context, id int64) (plan.Plan, error) {
	out, err := scanPlan(p.s.reader.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans WHERE id = $1`, id))
	if err != nil {
		return out, notFound(err, "plan", id)
	}
	return out, nil
}

func (p *plans) InForce(ctx context.Context, code string) (plan.Plan, error) {
	out, err := scanPlan(p.s.reader.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans WHERE code = $1 AND status = 'approved'`, code))
	if err != nil {
		return out, notFound(err, "approved plan", code)
	}
	return out, nil
}

func (p *plans) Versions(ctx context.Context, code string) ([]plan.Plan, error) {
	return p.query(ctx, `SELECT `+planColumns+` FROM plans WHERE code = $1 ORDER BY version DESC`, code)
}

func (p *plans) query(ctx context.Context, q string, args ...any) ([]plan.Plan, error) {
	return queryAll(ctx, p.s.reader, "plans", scanPlan, q, args...)
}

func (p *plans) List(ctx context.Context, f plan.Filter) ([]plan.Plan, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where := []string{"1 = 1"}
	var args []any
	if f.TypeID != 0 {
		args = append(args, f.TypeID)
		where = append(where, fmt.Sprintf("type_id = $%d", len(args)))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, fmt.Sprintf("status = $%d", len(args)))
	}
	if f.Current {
		where = append(where, "version = (SELECT MAX(v.version) FROM plans v WHERE v.code = plans.code)")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := p.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM plans WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count plans: %w", err)
	}
	args = append(args, limit, offset)
	out, err := p.query(ctx, fmt.Sprintf(`SELECT `+planColumns+` FROM plans WHERE %s ORDER BY code, version DESC LIMIT $%d OFFSET $%d`,
		cond, len(args)-1, len(args)), args...)
	return out, total, err
}

func (p *plans) checkType(ctx context.Context, tx *Tx, typeID int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_types WHERE id = $1`, typeID).Scan(&n); err != nil {
		return fmt.Errorf("check crisis type: %w", err)
	}
	if n == 0 {
		return fault.Field("type_id", "crisis type %d does not exist", typeID)
	}
	return nil
}

// auditPlan is the audit trail's view of a plan version.
func auditPlan(p plan.Plan) map[string]any {
	return map[string]any{"code": p.Code, "version": p.Version, "status": p.Status, "title": p.Title,
		"type_id": p.TypeID, "body": p.Body, "lock": p.Lock}
}

func (p *plans) Create(ctx context.Context, a authz.Actor, code string, typeID int64, title string, body plan.Body) (plan.Plan, error) {
	if err := authz.Require(a, authz.EditPlan); err != nil {
		return plan.Plan{}, err
	}
	code = strings.ToLower(strings.TrimSpace(code))
	title = strings.TrimSpace(title)
	body.Normalize()
	var f fault.Fields
	if code == "" || len(code) > 63 || strings.ContainsAny(code, " /?#<>") {
		f.Add("code", "must be 1–63 characters without spaces")
	}
	if typeID == 0 {
		f.Add("type_id", "choose a crisis type")
	}
	if err := f.Err(); err != nil {
		return plan.Plan{}, err
	}
	if err := plan.Validate(title, body); err != nil {
		return plan.Plan{}, err
	}
	var out plan.Plan
	err := p.s.InTx(ctx, func(tx *Tx) error {
		if err := p.checkType(ctx, tx, typeID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO plans (code, version, type_id, status, title, body, author_id, created_at, updated_at)
			VALUES ($1, 1, $2, 'draft', $3, $4, $5, $6, $6) RETURNING id`,
			code, typeID, title, mustJSON(body), a.UserID, tx.Now).Scan(&id)
		if isUnique(err) {
			return fault.Field("code", "a plan with the code %q exists; edit it to make a new version", code)
		}
		if err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		if out, err = txPlan(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "plan.create", "plan", strconv.FormatInt(id, 10), nil, auditPlan(out))
	})
	return out, err
}

func (p *plans) Save(ctx context.Context, a authz.Actor, id int64, lock int64, title string, body plan.Body) (plan.Plan, error) {
	if err := authz.Require(a, authz.EditPlan); err != nil {
		return plan.Plan{}, err
	}
	title = strings.TrimSpace(title)
	body.Normalize()
	if err := plan.Validate(title, body); err != nil {
		return plan.Plan{}, err
	}
	var out plan.Plan
	err := p.s.InTx(ctx, func(tx *Tx) error {
		before, err := txPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Lock != lock {
			return fault.New(fault.Conflict, "this plan was saved by someone else since you opened it: reload to see their changes")
		}
		switch before.Status {
		case plan.Draft:
			res, err := tx.Exec(ctx, `UPDATE plans SET title = $1, body = $2, updated_at = $3, lock_version = lock_version + 1
				WHERE id = $4 AND lock_version = $5`, title, mustJSON(body), tx.Now, id, lock)
			if err != nil {
				return fmt.Errorf("save plan: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fault.New(fault.Conflict, "this plan was saved by someone else since you opened it: reload to see their changes")
			}
			if out, err = txPlan(ctx, tx, id); err != nil {
				return err
			}
			return tx.Audit(ctx, a, "plan.save", "plan", strconv.FormatInt(id, 10), auditPlan(before), auditPlan(out))
		case plan.Approved, plan.Superseded:
			// A change to a signed version is a new draft version; the
			// signed one stays in force until the new one is approved.
			var pending int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM plans WHERE code = $1 AND status IN ('draft', 'submitted', 'reviewed')`,
				before.Code).Scan(&pending); err != nil {
				return fmt.Errorf("check drafts: %w", err)
			}
			if pending > 0 {
				return fault.New(fault.Conflict, "plan %s already has a version in preparation: edit that one", before.Code)
			}
			var newID int64
			if err := tx.QueryRow(ctx, `INSERT INTO plans (code, version, type_id, status, title, body, author_id, created_at, updated_at)
				VALUES ($1, (SELECT MAX(version) + 1 FROM plans WHERE code = $1), $2, 'draft', $3, $4, $5, $6, $6) RETURNING id`,
				before.Code, before.TypeID, title, mustJSON(body), a.UserID, tx.Now).Scan(&newID); err != nil {
				return fmt.Errorf("new plan version: %w", err)
			}
			if out, err = txPlan(ctx, tx, newID); err != nil {
				return err
			}
			return tx.Audit(ctx, a, "plan.new_version", "plan", strconv.FormatInt(newID, 10), auditPlan(before), auditPlan(out))
		default:
			return fault.New(fault.Conflict, "a %s plan cannot be edited; it must be returned to draft first", before.Status)
		}
	})
	return out, err
}

// transition applies a sign-off rule and stores its result.
func (p *plans) transition(ctx context.Context, a authz.Actor, id int64, action string,
	rule func(plan.Plan, authz.Actor, time.Time, string) (plan.Plan, error), comment string) (plan.Plan, error) {
	var out plan.Plan
	err := p.s.InTx(ctx, func(tx *Tx) error {
		before, err := txPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		after, err := rule(before, a, tx.Now, comment)
		if err != nil {
			return err
		}
		if action == "approve" {
			// The version in force until now steps down.
			if _, err := tx.Exec(ctx, `UPDATE plans SET status = 'superseded', updated_at = $1, lock_version = lock_version + 1
				WHERE code = $2 AND status = 'approved' AND id <> $3`, tx.Now, after.Code, id); err != nil {
				return fmt.Errorf("supersede: %w", err)
			}
		}
		res, err := tx.Exec(ctx, `UPDATE plans SET status = $1, reviewer_id = $2, approver_id = $3, submitted_at = $4,
			reviewed_at = $5, approved_at = $6, review_due = $7, signatures = $8, updated_at = $9, lock_version = lock_version + 1
			WHERE id = $10 AND lock_version = $11`,
			string(after.Status), nullInt(after.ReviewerID), nullInt(after.ApproverID), nullTime(after.SubmittedAt),
			nullTime(after.ReviewedAt), nullTime(after.ApprovedAt), nullTime(after.ReviewDue), mustJSON(after.Signatures),
			tx.Now, id, before.Lock)
		if err != nil {
			return fmt.Errorf("%s plan: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "the plan changed meanwhile: reload and try again")
		}
		if out, err = txPlan(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "plan."+action, "plan", strconv.FormatInt(id, 10),
			map[string]any{"status": before.Status}, map[string]any{"status": out.Status, "comment": strings.TrimSpace(comment)})
	})
	return out, err
}

func (p *plans) Submit(ctx context.Context, a authz.Actor, id int64, comment string) (plan.Plan, error) {
	return p.transition(ctx, a, id, "submit", plan.Submit, comment)
}

func (p *plans) Review(ctx context.Context, a authz.Actor, id int64, comment string) (plan.Plan, error) {
	return p.transition(ctx, a, id, "review", plan.Review, comment)
}

func (p *plans) Approve(ctx context.Context, a authz.Actor, id int64, comment string) (plan.Plan, error) {
	return p.transition(ctx, a, id, "approve", plan.Approve, comment)
}

func (p *plans) Return(ctx context.Context, a authz.Actor, id int64, reason string) (plan.Plan, error) {
	return p.transition(ctx, a, id, "return", plan.Return, reason)
}
