package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/live"
)

const deadlineColumns = `id, kind, subject_kind, subject_id, COALESCE(crisis_id, 0), COALESCE(owner_id, 0), watchers, link, args,
	started_at, due_at, warned_at, expired_at, met_at, cancelled_at`

func scanDeadline(r rowScanner) (deadline.Deadline, error) {
	var d deadline.Deadline
	var watchers, args string
	var warned, expired, met, cancelled sql.NullTime
	if err := r.Scan(&d.ID, &d.Kind, &d.Subject.Kind, &d.Subject.ID, &d.CrisisID, &d.OwnerID, &watchers, &d.Link, &args,
		&d.StartedAt, &d.DueAt, &warned, &expired, &met, &cancelled); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(watchers), &d.Watchers); err != nil {
		return d, fmt.Errorf("deadline %d watchers: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(args), &d.Args); err != nil {
		return d, fmt.Errorf("deadline %d arguments: %w", d.ID, err)
	}
	d.StartedAt, d.DueAt = utc(d.StartedAt), utc(d.DueAt)
	d.WarnedAt, d.ExpiredAt, d.MetAt, d.CancelledAt = timeOf(warned), timeOf(expired), timeOf(met), timeOf(cancelled)
	return d, nil
}

// StartDeadline records d and schedules its two alerts, at 80 % and at
// expiry. An open deadline of the same kind and subject is cancelled
// first: starting again replaces it (a reply-by moved, a review rescheduled).
// StartedAt defaults to the transaction's now. A deadline already due when
// recorded gets no warning; its expiry alert runs at once.
func (tx *Tx) StartDeadline(ctx context.Context, d deadline.Deadline) (deadline.Deadline, error) {
	if d.StartedAt.IsZero() {
		d.StartedAt = tx.Now
	}
	if err := d.Validate(); err != nil {
		return d, fmt.Errorf("start deadline: %w", err)
	}
	if err := tx.CancelDeadline(ctx, d.Kind, d.Subject); err != nil {
		return d, err
	}
	watchers, err := json.Marshal(nonNilIDs(d.Watchers))
	if err != nil {
		return d, fmt.Errorf("start deadline: %w", err)
	}
	if d.Args == nil {
		d.Args = map[string]string{}
	}
	args, err := json.Marshal(d.Args)
	if err != nil {
		return d, fmt.Errorf("start deadline: %w", err)
	}
	d.StartedAt, d.DueAt = d.StartedAt.UTC(), d.DueAt.UTC()
	d.WarnedAt, d.ExpiredAt, d.MetAt, d.CancelledAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if err := tx.QueryRow(ctx, `INSERT INTO deadlines (kind, subject_kind, subject_id, crisis_id, owner_id, watchers, link, args, started_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		d.Kind, d.Subject.Kind, d.Subject.ID, nullInt(d.CrisisID), nullInt(d.OwnerID), string(watchers), d.Link, string(args),
		d.StartedAt, d.DueAt).Scan(&d.ID); err != nil {
		return d, fmt.Errorf("start deadline %s %s: %w", d.Kind, d.Subject, err)
	}
	if tx.Now.Before(d.WarnAt()) {
		if _, err := tx.Enqueue(ctx, deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.WarnStage},
			&river.InsertOpts{ScheduledAt: d.WarnAt(), Priority: 2}); err != nil {
			return d, err
		}
	}
	if _, err := tx.Enqueue(ctx, deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.ExpiredStage},
		&river.InsertOpts{ScheduledAt: d.DueAt, Priority: 2}); err != nil {
		return d, err
	}
	return d, nil
}

// MeetDeadline marks the open deadline of kind on s met now. With none
// open it does nothing: meeting twice, or a subject never clocked, is fine.
func (tx *Tx) MeetDeadline(ctx context.Context, kind string, s deadline.Subject) error {
	return tx.settleDeadline(ctx, "met_at", kind, s)
}

// CancelDeadline cancels the open deadline of kind on s: it is no longer
// owed and counts neither way. With none open it does nothing.
func (tx *Tx) CancelDeadline(ctx context.Context, kind string, s deadline.Subject) error {
	return tx.settleDeadline(ctx, "cancelled_at", kind, s)
}

func (tx *Tx) settleDeadline(ctx context.Context, col, kind string, s deadline.Subject) error {
	res, err := tx.Exec(ctx, `UPDATE deadlines SET `+col+` = $1
		WHERE kind = $2 AND subject_kind = $3 AND subject_id = $4 AND met_at IS NULL AND cancelled_at IS NULL`,
		tx.Now, kind, s.Kind, s.ID)
	if err != nil {
		return fmt.Errorf("settle deadline %s %s: %w", kind, s, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		tx.deadlinesChanged(ctx)
	}
	return nil
}

// deadlinesChanged tells the dashboards that someone's alerts changed.
func (tx *Tx) deadlinesChanged(ctx context.Context) {
	e := live.Event{Type: "deadline"}
	if b := tx.store.live; b != nil {
		tx.AfterCommit(func() { b.Publish(live.DashboardTopic, e) })
	}
	if err := tx.notifyReplicas(ctx, live.DashboardTopic, e); err != nil {
		tx.store.log.Warn("live event not relayed to other replicas", "err", err)
	}
}

// DeadlineOf returns the newest deadline of kind on subj, open or not.
func (s *Store) DeadlineOf(ctx context.Context, kind string, subj deadline.Subject) (deadline.Deadline, error) {
	d, err := scanDeadline(s.reader.QueryRowContext(ctx, `SELECT `+deadlineColumns+` FROM deadlines
		WHERE kind = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY id DESC LIMIT 1`, kind, subj.Kind, subj.ID))
	if err != nil {
		return d, notFound(err, "deadline", kind+" "+subj.String())
	}
	return d, nil
}

// DeadlineOfTx is DeadlineOf inside a transaction.
func (tx *Tx) DeadlineOf(ctx context.Context, kind string, subj deadline.Subject) (deadline.Deadline, error) {
	d, err := scanDeadline(tx.QueryRow(ctx, `SELECT `+deadlineColumns+` FROM deadlines
		WHERE kind = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY id DESC LIMIT 1`, kind, subj.Kind, subj.ID))
	if err != nil {
		return d, notFound(err, "deadline", kind+" "+subj.String())
	}
	return d, nil
}

// Deadlines lists the deadlines f selects, due first. Cancelled ones
// (replaced or no longer owed) are left out: they count neither way.
func (s *Store) Deadlines(ctx context.Context, f deadline.Filter) ([]deadline.Deadline, error) {
	where, args := []string{"cancelled_at IS NULL"}, []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.Kind != "" {
		add("kind = $%d", f.Kind)
	}
	if f.SubjectKind != "" {
		add("subject_kind = $%d", f.SubjectKind)
	}
	if f.OwnerID != 0 {
		add("owner_id = $%d", f.OwnerID)
	}
	if f.CrisisID != 0 {
		add("crisis_id = $%d", f.CrisisID)
	}
	if f.OpenOnly {
		where = append(where, "met_at IS NULL")
	}
	if !f.From.IsZero() {
		add("due_at >= $%d", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("due_at < $%d", f.To.UTC())
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	args = append(args, limit)
	return queryAll(ctx, s.reader, "deadlines", scanDeadline, `SELECT `+deadlineColumns+` FROM deadlines WHERE `+
		strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY due_at, id LIMIT $%d`, len(args)), args...)
}

// deadlineMailOpts: one e-mail per alert, even from duplicate jobs.
var deadlineMailOpts = river.InsertOpts{Priority: 2, MaxAttempts: deadline.MailAttempts,
	UniqueOpts: river.UniqueOpts{ByArgs: true}}

// AlertDeadline records the alerts of a deadline reaching stage: one for
// its owner and one for each watcher, once per stage. With mail it also
// enqueues one deadline.MailArgs job per alert. A deadline met, cancelled
// or already alerted at this stage alerts nobody.
func (s *Store) AlertDeadline(ctx context.Context, id int64, stage deadline.Stage, mail bool) ([]deadline.Alert, error) {
	var alerts []deadline.Alert
	err := s.InTx(ctx, func(tx *Tx) error {
		alerts = nil
		d, err := scanDeadline(tx.QueryRow(ctx, `SELECT `+deadlineColumns+` FROM deadlines WHERE id = $1`, id))
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read deadline %d: %w", id, err)
		}
		if !d.Open() || (stage == deadline.WarnStage && !d.WarnedAt.IsZero()) || (stage == deadline.ExpiredStage && !d.ExpiredAt.IsZero()) {
			return nil
		}
		if stage == deadline.WarnStage && !tx.Now.Before(d.DueAt) {
			return nil // the expiry alert says it
		}
		col := "warned_at"
		if stage == deadline.ExpiredStage {
			col = "expired_at"
		}
		if _, err := tx.Exec(ctx, `UPDATE deadlines SET `+col+` = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return fmt.Errorf("mark deadline alerted: %w", err)
		}
		people := nonNilIDs(append([]int64{d.OwnerID}, d.Watchers...))
		for _, uid := range people {
			var aid int64
			err := tx.QueryRow(ctx, `INSERT INTO deadline_alerts (deadline_id, user_id, stage, created_at)
				SELECT $1, id, $2, $3 FROM users WHERE id = $4 AND NOT disabled
				ON CONFLICT (deadline_id, user_id, stage) DO NOTHING RETURNING id`, id, string(stage), tx.Now, uid).Scan(&aid)
			if err == sql.ErrNoRows {
				continue
			}
			if err != nil {
				return fmt.Errorf("record deadline alert: %w", err)
			}
			if mail {
				opts := deadlineMailOpts
				if _, err := tx.Enqueue(ctx, deadline.MailArgs{AlertID: aid}, &opts); err != nil {
					return err
				}
			}
			alerts = append(alerts, deadline.Alert{ID: aid, DeadlineID: id, UserID: uid, Stage: stage, Deadline: d, CreatedAt: tx.Now})
		}
		tx.deadlinesChanged(ctx)
		return nil
	})
	return alerts, err
}

const deadlineAlertColumns = `a.id, a.deadline_id, a.user_id, a.stage, a.created_at, a.read_at, ` +
	`d.id, d.kind, d.subject_kind, d.subject_id, COALESCE(d.crisis_id, 0), COALESCE(d.owner_id, 0), d.watchers, d.link, d.args,
	d.started_at, d.due_at, d.warned_at, d.expired_at, d.met_at, d.cancelled_at`

func scanDeadlineAlert(r rowScanner) (deadline.Alert, error) {
	var a deadline.Alert
	var stage string
	var read sql.NullTime
	var watchers, args string
	var warned, expired, met, cancelled sql.NullTime
	d := &a.Deadline
	if err := r.Scan(&a.ID, &a.DeadlineID, &a.UserID, &stage, &a.CreatedAt, &read,
		&d.ID, &d.Kind, &d.Subject.Kind, &d.Subject.ID, &d.CrisisID, &d.OwnerID, &watchers, &d.Link, &args,
		&d.StartedAt, &d.DueAt, &warned, &expired, &met, &cancelled); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(watchers), &d.Watchers); err != nil {
		return a, fmt.Errorf("deadline %d watchers: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(args), &d.Args); err != nil {
		return a, fmt.Errorf("deadline %d arguments: %w", d.ID, err)
	}
	a.Stage, a.ReadAt, a.CreatedAt = deadline.Stage(stage), timeOf(read), utc(a.CreatedAt)
	d.StartedAt, d.DueAt = utc(d.StartedAt), utc(d.DueAt)
	d.WarnedAt, d.ExpiredAt, d.MetAt, d.CancelledAt = timeOf(warned), timeOf(expired), timeOf(met), timeOf(cancelled)
	return a, nil
}

// DeadlineAlerts lists a person's deadline alerts, newest first.
func (s *Store) DeadlineAlerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]deadline.Alert, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + deadlineAlertColumns + ` FROM deadline_alerts a JOIN deadlines d ON d.id = a.deadline_id WHERE a.user_id = $1`
	if unreadOnly {
		q += ` AND a.read_at IS NULL`
	}
	return queryAll(ctx, s.reader, "deadline alerts", scanDeadlineAlert, q+` ORDER BY a.id DESC LIMIT $2`, userID, limit)
}

// MarkDeadlineAlertsRead marks the listed alerts of user read; another
// person's alerts are left alone.
func (s *Store) MarkDeadlineAlertsRead(ctx context.Context, userID int64, ids []int64) error {
	return s.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if _, err := tx.Exec(ctx, `UPDATE deadline_alerts SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL`,
				tx.Now, id, userID); err != nil {
				return fmt.Errorf("mark deadline alert read: %w", err)
			}
		}
		tx.deadlinesChanged(ctx)
		return nil
	})
}

// DeadlineMail is what the e-mail of one deadline alert needs.
type DeadlineMail struct {
	Alert deadline.Alert
	User  account.User // whom it alerts, as the user is now
	// Settled: the deadline was met or cancelled since; the e-mail would
	// be news no more.
	Settled bool
}

// DeadlineAlertMail reads a deadline alert with its person, for its e-mail job.
func (s *Store) DeadlineAlertMail(ctx context.Context, alertID int64) (DeadlineMail, error) {
	var m DeadlineMail
	a, err := scanDeadlineAlert(s.reader.QueryRowContext(ctx, `SELECT `+deadlineAlertColumns+`
		FROM deadline_alerts a JOIN deadlines d ON d.id = a.deadline_id WHERE a.id = $1`, alertID))
	if err != nil {
		return m, notFound(err, "deadline alert", alertID)
	}
	m.Alert, m.Settled = a, !a.Deadline.Open()
	if m.User, err = userByID(ctx, s.reader, a.UserID); err != nil {
		return m, err
	}
	return m, nil
}

func nonNilIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !containsID(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
