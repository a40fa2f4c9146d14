package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
)

// notices implements notice.Service.
type notices struct{ s *Store }

var _ notice.Service = (*notices)(nil)

const noticeColumns = `id, crisis_id, kind, audience, departments, roles, experts, status, exercise, contents, cap, references_id,
	correction_reason, template_plan_id, fast_path, author_id, approver_id, publisher_id, reviewer_id,
	submitted_at, approved_at, published_at, reviewed_at, steps, created_at, updated_at, lock_version`

func scanNotice(r rowScanner) (notice.Notice, error) {
	var n notice.Notice
	var kind, audience, deps, roles, status, contents, capInfo, reason, steps string
	var crisisID, refs, tplPlan, approver, publisher, reviewer sql.NullInt64
	var submitted, approved, published, reviewed sql.NullTime
	if err := r.Scan(&n.ID, &crisisID, &kind, &audience, &deps, &roles, &n.Experts, &status, &n.Exercise, &contents, &capInfo, &refs,
		&reason, &tplPlan, &n.FastPath, &n.AuthorID, &approver, &publisher, &reviewer,
		&submitted, &approved, &published, &reviewed, &steps, &n.CreatedAt, &n.UpdatedAt, &n.Lock); err != nil {
		return n, err
	}
	n.CrisisID, n.References, n.TemplatePlanID = crisisID.Int64, refs.Int64, tplPlan.Int64
	n.ApproverID, n.PublisherID, n.ReviewerID = approver.Int64, publisher.Int64, reviewer.Int64
	n.Kind, n.Audience, n.Status, n.CorrectionReason = notice.Kind(kind), notice.Audience(audience), notice.Status(status), notice.Reason(reason)
	n.SubmittedAt, n.ApprovedAt, n.PublishedAt, n.ReviewedAt = timeOf(submitted), timeOf(approved), timeOf(published), timeOf(reviewed)
	n.CreatedAt, n.UpdatedAt = utc(n.CreatedAt), utc(n.UpdatedAt)
	for _, part := range []struct {
		name string
		raw  string
		into any
	}{{"departments", deps, &n.Departments}, {"roles", roles, &n.Roles}, {"contents", contents, &n.Contents},
		{"cap", capInfo, &n.CAP}, {"steps", steps, &n.Steps}} {
		if err := jsonUnmarshal(part.raw, part.into); err != nil {
			return n, fmt.Errorf("notice %d %s: %w", n.ID, part.name, err)
		}
	}
	n.CAP.Effective, n.CAP.Expires = utcOrZero(n.CAP.Effective), utcOrZero(n.CAP.Expires)
	return n, nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func txNotice(ctx context.Context, tx *Tx, id int64) (notice.Notice, error) {
	n, err := scanNotice(tx.QueryRow(ctx, `SELECT `+noticeColumns+` FROM notices WHERE id = $1`, id))
	if err != nil {
		return n, notFound(err, "notice", id)
	}
	return n, nil
}

// insertNotice stores a new notice and returns it as read back.
func insertNotice(ctx context.Context, tx *Tx, n notice.Notice) (notice.Notice, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO notices (crisis_id, kind, audience, departments, roles, status, exercise, contents, cap,
		references_id, correction_reason, template_plan_id, author_id, steps, created_at, updated_at, experts)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id`,
		nullInt(n.CrisisID), string(n.Kind), string(n.Audience), mustJSON(orEmpty(n.Departments)), mustJSON(orEmpty(n.Roles)),
		string(n.Status), n.Exercise, mustJSON(orEmpty(n.Contents)), mustJSON(n.CAP), nullInt(n.References),
		string(n.CorrectionReason), nullInt(n.TemplatePlanID), n.AuthorID, mustJSON(orEmpty(n.Steps)), tx.Now, n.Experts).Scan(&id)
	if err != nil {
		return n, fmt.Errorf("insert notice: %w", err)
	}
	return txNotice(ctx, tx, id)
}

// saveNotice writes after over before, refusing if someone saved since.
func saveNotice(ctx context.Context, tx *Tx, before, after notice.Notice) (notice.Notice, error) {
	set, args := setClause(
		col{"audience", string(after.Audience)},
		col{"departments", mustJSON(orEmpty(after.Departments))},
		col{"roles", mustJSON(orEmpty(after.Roles))},
		col{"experts", after.Experts},
		col{"status", string(after.Status)},
		col{"contents", mustJSON(orEmpty(after.Contents))},
		col{"cap", mustJSON(after.CAP)},
		col{"correction_reason", string(after.CorrectionReason)},
		col{"fast_path", after.FastPath},
		col{"approver_id", nullInt(after.ApproverID)},
		col{"publisher_id", nullInt(after.PublisherID)},
		col{"reviewer_id", nullInt(after.ReviewerID)},
		col{"submitted_at", nullTime(after.SubmittedAt)},
		col{"approved_at", nullTime(after.ApprovedAt)},
		col{"published_at", nullTime(after.PublishedAt)},
		col{"reviewed_at", nullTime(after.ReviewedAt)},
		col{"steps", mustJSON(orEmpty(after.Steps))},
		col{"updated_at", tx.Now},
	)
	n := len(args)
	res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE notices SET %s, lock_version = lock_version + 1
		WHERE id = $%d AND lock_version = $%d`, set, n+1, n+2), append(args, before.ID, before.Lock)...)
	if err != nil {
		return after, fmt.Errorf("save notice %d: %w", before.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return after, fault.New(fault.Conflict, "someone else changed this notice meanwhile: reload and try again")
	}
	return txNotice(ctx, tx, before.ID)
}

// auditNotice is the audit trail's view of a notice.
func auditNotice(n notice.Notice) map[string]any {
	return map[string]any{"kind": n.Kind, "audience": n.Audience, "status": n.Status, "crisis_id": n.CrisisID,
		"references": n.References, "contents": n.Contents, "cap": n.CAP, "fast_path": n.FastPath, "lock": n.Lock}
}

func (ns *notices) Create(ctx context.Context, a authz.Actor, n notice.Notice) (notice.Notice, error) {
	if err := authz.Require(a, authz.EditNotice); err != nil {
		return n, err
	}
	n.Status, n.AuthorID, n.Steps, n.FastPath = notice.Draft, a.UserID, nil, false
	if n.Kind == "" {
		n.Kind = notice.Alert
	}
	if n.Kind.FollowsUp() || n.Kind == notice.AllClear {
		return n, fault.Field("kind", "a correction, cancellation or all-clear is made from the notice it follows")
	}
	notice.Normalize(&n)
	if err := notice.ValidateDraft(n); err != nil {
		return n, err
	}
	var out notice.Notice
	err := ns.s.InTx(ctx, func(tx *Tx) error {
		if n.CrisisID != 0 {
			c, err := txCrisis(ctx, tx, n.CrisisID)
			if err != nil {
				return fault.Field("crisis_id", "crisis %d does not exist", n.CrisisID)
			}
			n.Exercise = c.Exercise // a drill's notices are drill notices, always
		}
		if n.TemplatePlanID != 0 {
			if _, err := txPlan(ctx, tx, n.TemplatePlanID); err != nil {
				return fault.Field("template_plan_id", "plan %d does not exist", n.TemplatePlanID)
			}
		}
		var err error
		if out, err = insertNotice(ctx, tx, n); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "notice.create", "notice", strconv.FormatInt(out.ID, 10), nil, auditNotice(out))
	})
	return out, err
}

// change applies a workflow transition to a stored notice.
func (ns *notices) change(ctx context.Context, a authz.Actor, id int64, action string,
	rule func(tx *Tx, n notice.Notice) (notice.Notice, error)) (notice.Notice, error) {
	var out notice.Notice
	err := ns.s.InTx(ctx, func(tx *Tx) error {
		before, err := txNotice(ctx, tx, id)
		if err != nil {
			return err
		}
		after, err := rule(tx, before)
		if err != nil {
			return err
		}
		if out, err = saveNotice(ctx, tx, before, after); err != nil {
			return err
		}
		if out.CrisisID != 0 {
			tx.publish(out.CrisisID, live.Event{Type: "notice", ID: id})
		}
		return tx.Audit(ctx, a, "notice."+action, "notice", strconv.FormatInt(id, 10), auditNotice(before), auditNotice(out))
	})
	return out, err
}

func (ns *notices) Save(ctx context.Context, a authz.Actor, id, lock int64, c notice.Changes) (notice.Notice, error) {
	return ns.change(ctx, a, id, "save", func(tx *Tx, n notice.Notice) (notice.Notice, error) {
		if n.Lock != lock {
			return n, fault.New(fault.Conflict, "someone else saved this notice since you opened it: reload to see their changes")
		}
		out, err := notice.Edit(n, a, tx.Now, c)
		if err != nil {
			return n, err
		}
		return out, notice.ValidateDraft(out)
	})
}

func (ns *notices) Submit(ctx context.Context, a authz.Actor, id int64, comment string) (notice.Notice, error) {
	return ns.change(ctx, a, id, "submit", func(tx *Tx, n notice.Notice) (notice.Notice, error) {
		out, err := notice.Submit(n, a, tx.Now, comment)
		if err != nil {
			return out, err
		}
		return out, tx.alertNotice(ctx, out, notice.AlertSubmitted, a)
	})
}

func (ns *notices) Approve(ctx context.Context, a authz.Actor, id int64, comment string) (notice.Notice, error) {
	return ns.change(ctx, a, id, "approve", func(tx *Tx, n notice.Notice) (notice.Notice, error) {
		return notice.Approve(n, a, tx.Now, comment)
	})
}

func (ns *notices) Return(ctx context.Context, a authz.Actor, id int64, reason string) (notice.Notice, error) {
	return ns.change(ctx, a, id, "return", func(tx *Tx, n notice.Notice) (notice.Notice, error) {
		out, err := notice.Return(n, a, tx.Now, reason)
		if err != nil {
			return out, err
		}
		return out, tx.alertNotice(ctx, out, notice.AlertReturned, a)
	})
}

func (ns *notices) ReviewAfter(ctx context.Context, a authz.Actor, id int64, comment string) (notice.Notice, error) {
	return ns.change(ctx, a, id, "review_after", func(tx *Tx, n notice.Notice) (notice.Notice, error) {
		return notice.ReviewAfter(n, a, tx.Now, comment)
	})
}

// Publish publishes in one transaction: the notice, the crisis's
// first-notice clock and the cadence clocks of the communication matrix
// whose audience the notice reaches, and a timeline entry. The saved lock
// makes a second publish — a double click, or two replicas — a conflict
// that changes nothing. The fan-out to subscribers, endpoints and staff is
// started in the same transaction.
func (ns *notices) Publish(ctx context.Context, a authz.Actor, id int64) (notice.Notice, error) {
	var out notice.Notice
	err := ns.s.InTx(ctx, func(tx *Tx) error {
		before, err := txNotice(ctx, tx, id)
		if err != nil {
			return err
		}
		var c crisis.Crisis
		if before.CrisisID != 0 {
			if c, err = txCrisis(ctx, tx, before.CrisisID); err != nil {
				return err
			}
		}
		fast := false
		if before.TemplatePlanID != 0 && before.CrisisID != 0 {
			p, err := txPlan(ctx, tx, before.TemplatePlanID)
			if err != nil {
				return err
			}
			fast = notice.FastPathAllowed(p, c.Level)
		}
		after, err := notice.Publish(before, a, tx.Now, fast)
		if err != nil {
			return err
		}
		if out, err = saveNotice(ctx, tx, before, after); err != nil {
			return err
		}
		if err := tx.startDelivery(ctx, out, delivery.Priority(out, c.Level)); err != nil {
			return err
		}
		if err := tx.clarifyRumour(ctx, out); err != nil {
			return err
		}
		if out.CrisisID != 0 {
			if err := tx.meetNoticeClocks(ctx, c, out); err != nil {
				return err
			}
			headline := ""
			if len(out.Contents) > 0 {
				headline = out.Contents[0].Headline
			}
			if err := tx.note(ctx, out.CrisisID, a, "notice_published",
				crisis.M("systext.notice_published", "AudienceKey", "notice.audience."+string(out.Audience),
					"KindKey", "notice.kind."+string(out.Kind), "Headline", headline)); err != nil {
				return err
			}
			tx.publish(out.CrisisID, live.Event{Type: "notice", ID: id})
		}
		if out.Audience == notice.Public {
			if out.CrisisID != 0 {
				if err := tx.makePublic(ctx, out.CrisisID); err != nil {
					return err
				}
			}
			if err := tx.publicChanged(ctx, "notice", id); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "notice.publish", "notice", strconv.FormatInt(id, 10), auditNotice(before), auditNotice(out))
	})
	return out, err
}

// meetNoticeClocks meets the clocks a published notice answers: the first
// public notice, and the running period of each cadence row whose audience
// it reaches on every one of the row's channels (plan.CommRow.MetByNotice).
func (tx *Tx) meetNoticeClocks(ctx context.Context, c crisis.Crisis, n notice.Notice) error {
	events := []plan.Event{plan.NoticePublished(plan.Audience(n.Audience))}
	if n.Audience == notice.Public && c.FirstNoticeAt.IsZero() {
		if err := tx.meetClock(ctx, c.ID, "first_notice"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET first_notice_at = $1 WHERE id = $2`, tx.Now, c.ID); err != nil {
			return fmt.Errorf("record first notice: %w", err)
		}
		events = append(events, plan.OnFirstNotice)
	}
	if _, err := tx.completeTasks(ctx, c.ID, events...); err != nil {
		return err
	}
	if c.PlanID == 0 {
		return nil
	}
	p, err := txPlan(ctx, tx, c.PlanID)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT ref FROM crisis_clocks WHERE crisis_id = $1 AND kind = 'cadence'
		AND met_at IS NULL AND cancelled_at IS NULL`, c.ID)
	if err != nil {
		return fmt.Errorf("running cadence clocks: %w", err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	rowsByKey := map[string]plan.CommRow{}
	for _, r := range p.Body.Matrix {
		rowsByKey[r.Key] = r
	}
	for _, k := range keys {
		row, ok := rowsByKey[k]
		if ok && row.MetByNotice(string(n.Audience), len(n.Roles) > 0, len(n.Departments) > 0, n.Experts) {
			if err := tx.meetCadence(ctx, c.ID, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// followUp stores a draft correction, cancellation or all-clear of a
// published notice.
func (ns *notices) followUp(ctx context.Context, a authz.Actor, id int64, action string,
	build func(orig notice.Notice, now time.Time) (notice.Notice, error)) (notice.Notice, error) {
	if err := authz.Require(a, authz.EditNotice); err != nil {
		return notice.Notice{}, err
	}
	var out notice.Notice
	err := ns.s.InTx(ctx, func(tx *Tx) error {
		orig, err := txNotice(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := build(orig, tx.Now)
		if err != nil {
			return err
		}
		n.AuthorID, n.Status = a.UserID, notice.Draft
		notice.Normalize(&n)
		if err := notice.ValidateDraft(n); err != nil {
			return err
		}
		if out, err = insertNotice(ctx, tx, n); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "notice."+action, "notice", strconv.FormatInt(out.ID, 10), nil, auditNotice(out))
	})
	return out, err
}

func (ns *notices) Correct(ctx context.Context, a authz.Actor, id int64, reason notice.Reason, contents []notice.Content) (notice.Notice, error) {
	return ns.followUp(ctx, a, id, "correct", func(orig notice.Notice, now time.Time) (notice.Notice, error) {
		return notice.NewCorrection(orig, reason, contents, now)
	})
}

func (ns *notices) Cancel(ctx context.Context, a authz.Actor, id int64, contents []notice.Content) (notice.Notice, error) {
	return ns.followUp(ctx, a, id, "cancel", func(orig notice.Notice, now time.Time) (notice.Notice, error) {
		return notice.NewCancellation(orig, contents, now)
	})
}

func (ns *notices) AllClear(ctx context.Context, a authz.Actor, id int64, contents []notice.Content) (notice.Notice, error) {
	return ns.followUp(ctx, a, id, "all_clear", func(orig notice.Notice, now time.Time) (notice.Notice, error) {
		return notice.NewAllClear(orig, contents, now)
	})
}

func (ns *notices) Get(ctx context.Context, id int64) (notice.Notice, error) {
	n, err := scanNotice(ns.s.reader.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE id = $1`, id))
	if err != nil {
		return n, notFound(err, "notice", id)
	}
	return n, nil
}

func (ns *notices) List(ctx context.Context, f notice.Filter) ([]notice.Notice, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.CrisisID != 0 {
		add("crisis_id = $%d", f.CrisisID)
	}
	if f.Standalone {
		where = append(where, "crisis_id IS NULL")
	}
	if f.Kind != "" {
		add("kind = $%d", string(f.Kind))
	}
	if f.Audience != "" {
		add("audience = $%d", string(f.Audience))
	}
	if f.Status != "" {
		add("status = $%d", string(f.Status))
	}
	if f.Exercise != nil {
		add("exercise = $%d", *f.Exercise)
	}
	if f.NeedsReview {
		where = append(where, "fast_path AND reviewed_at IS NULL AND status = 'published'")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := ns.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notices: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, ns.s.reader, "notices", scanNotice, fmt.Sprintf(`SELECT `+noticeColumns+` FROM notices WHERE %s
		ORDER BY COALESCE(published_at, updated_at) DESC, id DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

// History returns the chain of notice id: its original (following
// references back) and every published follow-up after it, oldest first.
func (ns *notices) History(ctx context.Context, id int64) ([]notice.Notice, error) {
	n, err := ns.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	for seen := 0; n.References != 0 && seen < 1000; seen++ {
		if n, err = ns.Get(ctx, n.References); err != nil {
			return nil, err
		}
	}
	chain := []notice.Notice{n}
	frontier := []int64{n.ID}
	for len(frontier) > 0 && len(chain) < 1000 {
		next := frontier[0]
		frontier = frontier[1:]
		kids, err := queryAll(ctx, ns.s.reader, "notice history", scanNotice, `SELECT `+noticeColumns+` FROM notices
			WHERE references_id = $1 AND status = 'published' ORDER BY published_at, id`, next)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			chain = append(chain, k)
			frontier = append(frontier, k.ID)
		}
	}
	slices.SortStableFunc(chain, func(a, b notice.Notice) int {
		return a.PublishedAt.Compare(b.PublishedAt)
	})
	return chain, nil
}

// publicChanged tells the public site, here and on the other replicas,
// that what the public sees has changed (its cache is dropped), once the
// transaction commits.
func (tx *Tx) publicChanged(ctx context.Context, kind string, id int64) error {
	if tx.store.live == nil {
		return nil
	}
	b, e := tx.store.live, live.Event{Type: kind, ID: id}
	tx.AfterCommit(func() { b.Publish(live.PublicTopic, e) })
	return tx.notifyReplicas(ctx, live.PublicTopic, e)
}
