package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/plan"
)

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

const clockColumns = `id, crisis_id, kind, name, ref, owner_id, basis, subject, started_at, due_at, met_at, warned_at, expired_at`

func scanClock(r rowScanner) (crisis.Clock, error) {
	var c crisis.Clock
	var kind, basis string
	var owner sql.NullInt64
	var met, warned, expired sql.NullTime
	if err := r.Scan(&c.ID, &c.CrisisID, &kind, &c.Name, &c.Ref, &owner, &basis, &c.Subject, &c.StartedAt, &c.DueAt,
		&met, &warned, &expired); err != nil {
		return c, err
	}
	c.Kind, c.OwnerID, c.Basis = crisis.ClockKind(kind), owner.Int64, crisis.Basis(basis)
	c.StartedAt, c.DueAt = utc(c.StartedAt), utc(c.DueAt)
	c.MetAt, c.WarnedAt, c.ExpiredAt = timeOf(met), timeOf(warned), timeOf(expired)
	return c, nil
}

// clocks returns a crisis's clocks that were not cancelled, due first.
func (s *Store) clocks(ctx context.Context, q querier, crisisID int64) ([]crisis.Clock, error) {
	return queryAll(ctx, q, "clocks", scanClock, `SELECT `+clockColumns+` FROM crisis_clocks
		WHERE crisis_id = $1 AND cancelled_at IS NULL ORDER BY due_at, id`, crisisID)
}

// startClock stores a clock and schedules its two alerts: at 80 % and at
// expiry. The jobs look at the clock when they run and do nothing if it
// was met meanwhile. A clock already due when it is recorded (a crisis
// declared after its first notice was due) gets no warning: its expiry
// alert runs at once.
func (tx *Tx) startClock(ctx context.Context, c crisis.Clock) error {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO crisis_clocks (crisis_id, kind, name, ref, owner_id, basis, subject, started_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		c.CrisisID, string(c.Kind), c.Name, c.Ref, nullInt(c.OwnerID), string(c.Basis), c.Subject, c.StartedAt, c.DueAt).Scan(&id); err != nil {
		return fmt.Errorf("start clock %s: %w", c.Name, err)
	}
	c.ID = id
	if !c.OverdueAtStart(tx.Now) {
		if _, err := tx.Enqueue(ctx, crisis.ClockAlertArgs{ClockID: id, Stage: crisis.WarnStage},
			&river.InsertOpts{ScheduledAt: c.WarnTime(), Priority: 1}); err != nil {
			return err
		}
	}
	if _, err := tx.Enqueue(ctx, crisis.ClockAlertArgs{ClockID: id, Stage: crisis.ExpiredStage},
		&river.InsertOpts{ScheduledAt: c.DueAt, Priority: 1}); err != nil {
		return err
	}
	tx.publish(c.CrisisID, live.Event{Type: "clock"})
	return nil
}

// meetClock marks a clock met. For a cadence row ("cadence:KEY") it meets
// the open period and starts the next one.
func (tx *Tx) meetClock(ctx context.Context, crisisID int64, name string) error {
	if key, ok := strings.CutPrefix(name, "cadence:"); ok {
		return tx.meetCadence(ctx, crisisID, key)
	}
	res, err := tx.Exec(ctx, `UPDATE crisis_clocks SET met_at = $1 WHERE crisis_id = $2 AND name = $3 AND met_at IS NULL AND cancelled_at IS NULL`,
		tx.Now, crisisID, name)
	if err != nil {
		return fmt.Errorf("meet clock %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		tx.publish(crisisID, live.Event{Type: "clock"})
	}
	return nil
}

func (tx *Tx) meetCadence(ctx context.Context, crisisID int64, key string) error {
	var id int64
	var name string
	err := tx.QueryRow(ctx, `SELECT id, name FROM crisis_clocks WHERE crisis_id = $1 AND kind = 'cadence' AND ref = $2
		AND met_at IS NULL AND cancelled_at IS NULL ORDER BY id DESC LIMIT 1`, crisisID, key).Scan(&id, &name)
	if err == sql.ErrNoRows {
		return fault.Field("name", "no running cadence clock %q", key)
	}
	if err != nil {
		return fmt.Errorf("meet cadence %s: %w", key, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET met_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
		return fmt.Errorf("meet cadence %s: %w", key, err)
	}
	// The next period runs from now.
	var planBody string
	if err := tx.QueryRow(ctx, `SELECT p.body FROM crises c JOIN plans p ON p.id = c.plan_id WHERE c.id = $1`, crisisID).Scan(&planBody); err != nil {
		return fmt.Errorf("meet cadence %s: read plan: %w", key, err)
	}
	var b plan.Body
	if err := jsonUnmarshal(planBody, &b); err != nil {
		return fmt.Errorf("meet cadence %s: %w", key, err)
	}
	for _, row := range b.Matrix {
		if row.Key == key {
			seq := 1
			if _, after, ok := strings.Cut(name, "#"); ok {
				seq, _ = strconv.Atoi(after)
			}
			return tx.startClock(ctx, crisis.Clock{CrisisID: crisisID, Kind: crisis.CadenceClock,
				Name: fmt.Sprintf("cadence:%s#%d", key, seq+1), Ref: key, Basis: crisis.FromLastUpdate, StartedAt: tx.Now, DueAt: tx.Now.Add(time.Duration(row.Cadence))})
		}
	}
	return nil
}

// startCadence starts a clock for each communication-matrix row of level
// l and phase.
func (tx *Tx) startCadence(ctx context.Context, crisisID int64, l catalog.Level, b plan.Body, phase plan.Phase) error {
	for _, row := range b.MatrixFor(l) {
		if row.Phase != phase {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_clocks WHERE crisis_id = $1 AND kind = 'cadence' AND ref = $2`,
			crisisID, row.Key).Scan(&n); err != nil {
			return fmt.Errorf("start cadence: %w", err)
		}
		if err := tx.startClock(ctx, crisis.Clock{CrisisID: crisisID, Kind: crisis.CadenceClock,
			Name: fmt.Sprintf("cadence:%s#%d", row.Key, n+1), Ref: row.Key, Basis: crisis.FromLastUpdate, StartedAt: tx.Now,
			DueAt: tx.Now.Add(time.Duration(row.Cadence))}); err != nil {
			return err
		}
	}
	return nil
}

// cancelCadence stops the running cadence clocks (a level change or the
// move to recovery replaces them).
func (tx *Tx) cancelCadence(ctx context.Context, crisisID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET cancelled_at = $1 WHERE crisis_id = $2 AND kind = 'cadence'
		AND met_at IS NULL AND cancelled_at IS NULL`, tx.Now, crisisID); err != nil {
		return fmt.Errorf("stop cadence clocks: %w", err)
	}
	return nil
}

func (cs *crises) MeetClock(ctx context.Context, a authz.Actor, crisisID int64, name string) error {
	return cs.s.InTx(ctx, func(tx *Tx) error {
		c, err := txCrisis(ctx, tx, crisisID)
		if err != nil {
			return err
		}
		if err := tx.meetClock(ctx, crisisID, name); err != nil {
			return err
		}
		if name == "first_notice" && c.FirstNoticeAt.IsZero() {
			if _, err := tx.Exec(ctx, `UPDATE crises SET first_notice_at = $1 WHERE id = $2`, tx.Now, crisisID); err != nil {
				return fmt.Errorf("record first notice: %w", err)
			}
			if _, err := tx.completeTasks(ctx, crisisID, plan.OnFirstNotice); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "crisis.clock_met", "crisis", strconv.FormatInt(crisisID, 10), nil, map[string]any{"clock": name})
	})
}

// AlertClock records the alerts for a clock reaching its warning point or
// running out: one for its owner and one for each commander, once per
// stage. It returns the people alerted with their alerts. A clock met,
// cancelled or already alerted at this stage alerts nobody. The alerts are
// in-app only; AlertClockAndMail also e-mails them.
func (s *Store) AlertClock(ctx context.Context, clockID int64, stage crisis.Stage) ([]crisis.Alert, []account.User, error) {
	return s.alertClock(ctx, clockID, stage, false)
}

// AlertClockAndMail is AlertClock for an office with a mail server: in the
// same transaction it enqueues one crisis.AlertMailArgs job per alert
// recorded, so that each e-mail is sent, and retried, on its own.
func (s *Store) AlertClockAndMail(ctx context.Context, clockID int64, stage crisis.Stage) ([]crisis.Alert, []account.User, error) {
	return s.alertClock(ctx, clockID, stage, true)
}

// alertMailOpts: a unique key per alert, so that no alert is mailed twice
// by duplicate jobs, and a short life, so that none is mailed hours late.
var alertMailOpts = river.InsertOpts{Priority: 1, MaxAttempts: crisis.AlertMailAttempts,
	UniqueOpts: river.UniqueOpts{ByArgs: true}}

func (s *Store) alertClock(ctx context.Context, clockID int64, stage crisis.Stage, mail bool) ([]crisis.Alert, []account.User, error) {
	var alerts []crisis.Alert
	var users []account.User
	err := s.InTx(ctx, func(tx *Tx) error {
		alerts, users = nil, nil // InTx may run this again
		c, err := scanClock(tx.QueryRow(ctx, `SELECT `+clockColumns+` FROM crisis_clocks WHERE id = $1 AND cancelled_at IS NULL`, clockID))
		if err == sql.ErrNoRows {
			return nil // cancelled or gone
		}
		if err != nil {
			return fmt.Errorf("read clock %d: %w", clockID, err)
		}
		if !c.MetAt.IsZero() || (stage == crisis.WarnStage && !c.WarnedAt.IsZero()) || (stage == crisis.ExpiredStage && !c.ExpiredAt.IsZero()) {
			return nil
		}
		if stage == crisis.WarnStage && !tx.Now.Before(c.DueAt) {
			return nil // past due: the expiry alert says it
		}
		cr, err := txCrisis(ctx, tx, c.CrisisID)
		if err != nil {
			return err
		}
		if cr.Status == crisis.Closed {
			return nil
		}
		col := "warned_at"
		if stage == crisis.ExpiredStage {
			col = "expired_at"
		}
		if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET `+col+` = $1 WHERE id = $2`, tx.Now, clockID); err != nil {
			return fmt.Errorf("mark clock alerted: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users WHERE NOT disabled AND (role = 'commander' OR id = $1) ORDER BY id`, c.OwnerID)
		if err != nil {
			return fmt.Errorf("alert recipients: %w", err)
		}
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("alert recipients: %w", err)
			}
			users = append(users, u)
		}
		rows.Close()
		msg := crisis.M("systext.clock_"+string(stage), append(crisis.ClockArgs(c.Name, c.Subject),
			"Crisis", cr.Title, "Due", c.DueAt.UTC().Format(time.RFC3339))...)
		args, err := json.Marshal(msg.Args)
		if err != nil {
			return fmt.Errorf("record alert: %w", err)
		}
		for _, u := range users {
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO clock_alerts (user_id, crisis_id, clock_name, subject, stage, text, due_at, created_at, msg_key, msg_args)
				VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9) ON CONFLICT (user_id, crisis_id, clock_name, stage) DO NOTHING RETURNING id`,
				u.ID, c.CrisisID, c.Name, c.Subject, string(stage), c.DueAt, tx.Now, msg.Key, string(args)).Scan(&id)
			if err == sql.ErrNoRows {
				continue
			}
			if err != nil {
				return fmt.Errorf("record alert: %w", err)
			}
			if mail {
				opts := alertMailOpts
				if _, err := tx.Enqueue(ctx, crisis.AlertMailArgs{AlertID: id}, &opts); err != nil {
					return err
				}
			}
			alerts = append(alerts, crisis.Alert{ID: id, UserID: u.ID, CrisisID: c.CrisisID, ClockName: c.Name, Subject: c.Subject, Stage: stage,
				Msg: msg, DueAt: c.DueAt, CreatedAt: tx.Now})
		}
		tx.publish(c.CrisisID, live.Event{Type: "clock", ID: clockID})
		return tx.note(ctx, c.CrisisID, authz.System(authz.SourceSystem, "crisisdesk"), "clock_"+string(stage),
			msg)
	})
	return alerts, users, err
}

// AlertMail is what the e-mail of one clock alert needs.
type AlertMail struct {
	Alert crisis.Alert
	User  account.User // whom it alerts, as the user is now
	// CrisisTitle names the crisis in the e-mail's own words.
	CrisisTitle string
	// Settled is true when the clock was met or cancelled, or its crisis
	// closed, since the alert: the e-mail would be news no more.
	Settled bool
}

// AlertMail reads a clock alert with its person, for its e-mail job.
func (s *Store) AlertMail(ctx context.Context, alertID int64) (AlertMail, error) {
	var m AlertMail
	var stage, args string
	var read sql.NullTime
	a := &m.Alert
	err := s.reader.QueryRowContext(ctx, `SELECT a.id, a.user_id, a.crisis_id, a.clock_name, a.subject, a.stage, a.text,
		a.due_at, a.created_at, a.read_at, a.msg_key, a.msg_args,
		(k.met_at IS NOT NULL OR k.cancelled_at IS NOT NULL OR c.status = $1), c.title
		FROM clock_alerts a JOIN crises c ON c.id = a.crisis_id
		LEFT JOIN crisis_clocks k ON k.crisis_id = a.crisis_id AND k.name = a.clock_name
		WHERE a.id = $2`, string(crisis.Closed), alertID).
		Scan(&a.ID, &a.UserID, &a.CrisisID, &a.ClockName, &a.Subject, &stage, &a.Text, &a.DueAt, &a.CreatedAt, &read, &a.Msg.Key, &args, &m.Settled, &m.CrisisTitle)
	if err != nil {
		return m, notFound(err, "alert", alertID)
	}
	if args != "" {
		if err := json.Unmarshal([]byte(args), &a.Msg.Args); err != nil {
			return m, fmt.Errorf("alert %d arguments: %w", alertID, err)
		}
	}
	a.Stage, a.ReadAt = crisis.Stage(stage), timeOf(read)
	a.DueAt, a.CreatedAt = utc(a.DueAt), utc(a.CreatedAt)
	if m.User, err = userByID(ctx, s.reader, a.UserID); err != nil {
		return m, err
	}
	return m, nil
}

func (cs *crises) Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]crisis.Alert, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT id, user_id, crisis_id, clock_name, subject, stage, text, due_at, created_at, read_at, msg_key, msg_args FROM clock_alerts WHERE user_id = $1`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	rows, err := cs.s.reader.QueryContext(ctx, q+` ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	defer rows.Close()
	var out []crisis.Alert
	for rows.Next() {
		var a crisis.Alert
		var stage, args string
		var read sql.NullTime
		if err := rows.Scan(&a.ID, &a.UserID, &a.CrisisID, &a.ClockName, &a.Subject, &stage, &a.Text, &a.DueAt, &a.CreatedAt, &read,
			&a.Msg.Key, &args); err != nil {
			return nil, fmt.Errorf("list alerts: %w", err)
		}
		if args != "" {
			if err := json.Unmarshal([]byte(args), &a.Msg.Args); err != nil {
				return nil, fmt.Errorf("alert %d arguments: %w", a.ID, err)
			}
		}
		a.Stage, a.ReadAt = crisis.Stage(stage), timeOf(read)
		a.DueAt, a.CreatedAt = utc(a.DueAt), utc(a.CreatedAt)
		out = append(out, a)
	}
	return out, rows.Err()
}

func (cs *crises) MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error {
	return cs.s.InTx(ctx, func(tx *Tx) error {
		for _, id := range ids {
			// Only one's own alerts.
			if _, err := tx.Exec(ctx, `UPDATE clock_alerts SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL`,
				tx.Now, id, a.UserID); err != nil {
				return fmt.Errorf("mark alert read: %w", err)
			}
		}
		return nil
	})
}
