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
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/plan"
)

// crises implements crisis.Service.
type crises struct{ s *Store }

const crisisColumns = `id, title, type_id, level, status, exercise, location, area, summary, occurred_at, occurred_known, detected_at,
	declared_at, declared_by, plan_id, activated_at, first_notice_at, recovering_at, closed_at, closing_note,
	public_since, public_by, created_at, updated_at, version, texts`

func scanCrisis(r rowScanner) (crisis.Crisis, error) {
	var c crisis.Crisis
	var level int
	var status string
	var planID sql.NullInt64
	var activated, firstNotice, recovering, closed, public sql.NullTime
	var publicBy sql.NullInt64
	var occurredKnown bool
	var texts string
	if err := r.Scan(&c.ID, &c.Title, &c.TypeID, &level, &status, &c.Exercise, &c.Location, &c.Area, &c.Summary,
		&c.OccurredAt, &occurredKnown, &c.DetectedAt, &c.DeclaredAt, &c.DeclaredBy, &planID, &activated, &firstNotice, &recovering,
		&closed, &c.ClosingNote, &public, &publicBy, &c.CreatedAt, &c.UpdatedAt, &c.Version, &texts); err != nil {
		return c, err
	}
	if err := jsonUnmarshal(texts, &c.Texts); err != nil {
		return c, fmt.Errorf("crisis %d texts: %w", c.ID, err)
	}
	c.Texts = c.Texts.Normalize()
	c.Level, c.Status, c.PlanID = catalog.Level(level), crisis.Status(status), planID.Int64
	c.ActivatedAt, c.FirstNoticeAt, c.RecoveringAt, c.ClosedAt = timeOf(activated), timeOf(firstNotice), timeOf(recovering), timeOf(closed)
	c.PublicSince, c.PublicBy = timeOf(public), publicBy.Int64
	c.OccurredAt, c.DetectedAt, c.DeclaredAt = utc(c.OccurredAt), utc(c.DetectedAt), utc(c.DeclaredAt)
	if !occurredKnown {
		c.OccurredAt = time.Time{} // stored as the detection, for the NOT NULL column
	}
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	return c, nil
}

func txCrisis(ctx context.Context, tx *Tx, id int64) (crisis.Crisis, error) {
	c, err := scanCrisis(tx.QueryRow(ctx, `SELECT `+crisisColumns+` FROM crises WHERE id = $1`, id))
	if err != nil {
		return c, notFound(err, "crisis", id)
	}
	return c, nil
}

// auditCrisis is the audit trail's view of a crisis.
func auditCrisis(c crisis.Crisis) map[string]any {
	return map[string]any{"title": c.Title, "type_id": c.TypeID, "level": c.Level.String(), "status": c.Status,
		"exercise": c.Exercise, "location": c.Location, "plan_id": c.PlanID, "version": c.Version}
}

// publish announces a change to live viewers once the transaction
// commits: here at once, and to the other replicas through PostgreSQL.
func (tx *Tx) publish(crisisID int64, e live.Event) {
	if tx.store.live == nil {
		return
	}
	b := tx.store.live
	dash := live.Event{Type: "crisis", ID: crisisID}
	tx.AfterCommit(func() {
		b.Publish(live.CrisisTopic(crisisID), e)
		b.Publish(live.DashboardTopic, dash)
	})
	ctx := context.Background()
	for topic, ev := range map[string]live.Event{live.CrisisTopic(crisisID): e, live.DashboardTopic: dash} {
		if err := tx.notifyReplicas(ctx, topic, ev); err != nil {
			tx.store.log.Warn("live event not relayed to other replicas", "err", err)
		}
	}
}

// note appends a system entry to the crisis timeline: a message key with
// its arguments, rendered in each reader's language; no stored sentence.
func (tx *Tx) note(ctx context.Context, crisisID int64, a authz.Actor, event string, m crisis.Msg) error {
	args, err := json.Marshal(m.Args)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO crisis_timeline (crisis_id, at, kind, event, actor_id, actor, text, msg_key, msg_args)
		VALUES ($1, $2, 'system', $3, $4, $5, '', $6, $7)`, crisisID, tx.Now, event, a.UserID, a.Name, m.Key, string(args)); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	tx.publish(crisisID, live.Event{Type: "timeline"})
	return nil
}

func (cs *crises) Declare(ctx context.Context, a authz.Actor, d crisis.Declaration) (crisis.Crisis, error) {
	if err := authz.Require(a, authz.DeclareCrisis); err != nil {
		return crisis.Crisis{}, err
	}
	d.Normalize()
	now := cs.s.clock.Now()
	if err := d.Validate(now); err != nil {
		return crisis.Crisis{}, err
	}
	var out crisis.Crisis
	err := cs.s.InTx(ctx, func(tx *Tx) error { return tx.declare(ctx, a, d, &out) })
	return out, err
}

// declare declares a crisis in tx, into out; Declare and a drill's start
// (drills.go) call it after their permission checks.
func (tx *Tx) declare(ctx context.Context, a authz.Actor, d crisis.Declaration, out *crisis.Crisis) error {
	var typeName string
	if err := tx.QueryRow(ctx, `SELECT code FROM crisis_types WHERE id = $1`, d.TypeID).Scan(&typeName); err != nil {
		return fault.Field("type_id", "crisis type %d does not exist", d.TypeID)
	}
	detected := d.DetectedAt
	if detected.IsZero() {
		detected = tx.Now
	}
	occurred, known := d.OccurredAt, !d.OccurredAt.IsZero()
	if !known {
		occurred = detected
	}
	texts, err := textsJSON(d.Texts)
	if err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO crises (title, type_id, level, status, exercise, location, area, summary,
		occurred_at, occurred_known, detected_at, declared_at, declared_by, created_at, updated_at, texts)
		VALUES ($1, $2, $3, 'declared', $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $11, $13) RETURNING id`,
		d.Title, d.TypeID, int(d.Level), d.Exercise, d.Location, d.Area, d.Summary,
		occurred.UTC(), known, detected.UTC(), tx.Now, a.UserID, texts).Scan(&id); err != nil {
		return fmt.Errorf("declare: %w", err)
	}
	c, err := txCrisis(ctx, tx, id)
	if err != nil {
		return err
	}
	// The plan's clocks count from the crisis occurring, as the plan
	// says (from its detection when the occurrence is unknown), with
	// the deadlines of the approved plan for this type when there is
	// one. One already due is overdue from the start.
	activation, firstNotice := plan.DefaultActivation, plan.DefaultFirstNotice
	var body string
	err = tx.QueryRow(ctx, `SELECT body FROM plans WHERE type_id = $1 AND status = 'approved' ORDER BY approved_at DESC LIMIT 1`, d.TypeID).Scan(&body)
	if err == nil {
		var b plan.Body
		if jerr := jsonUnmarshal(body, &b); jerr == nil {
			b.Normalize()
			activation, firstNotice = b.ActivationDeadline, b.FirstNoticeDue
		}
	}
	start, basis := c.ClockStart()
	var overdue []string
	for _, k := range []crisis.Clock{
		{CrisisID: id, Kind: crisis.ActivationClock, Name: "activation", Basis: basis, StartedAt: start, DueAt: start.Add(time.Duration(activation))},
		{CrisisID: id, Kind: crisis.FirstNoticeClock, Name: "first_notice", Basis: basis, StartedAt: start, DueAt: start.Add(time.Duration(firstNotice))},
	} {
		if err := tx.startClock(ctx, k); err != nil {
			return err
		}
		if k.OverdueAtStart(tx.Now) {
			overdue = append(overdue, k.Name)
		}
	}
	*out = c
	key := "systext.declared"
	if d.Exercise {
		key = "systext.declared_exercise"
	}
	if err := tx.note(ctx, id, a, "declared", crisis.M(key, "Level", d.Level.String(), "Title", d.Title, "Location", d.Location)); err != nil {
		return err
	}
	for _, name := range overdue {
		if err := tx.note(ctx, id, authz.System(authz.SourceSystem, "crisisdesk"), "clock_overdue_at_declaration",
			crisis.M("systext.clock_overdue_at_declaration", append(crisis.ClockArgs(name, ""),
				"Since", tx.Now.Sub(start).Round(time.Minute).String(), "BasisKey", "clock.basis."+string(basis))...)); err != nil {
			return err
		}
	}
	after := auditCrisis(*out)
	after["clocks_from"] = string(basis)
	if len(overdue) > 0 {
		after["overdue_at_declaration"] = overdue
	}
	if len(out.Texts) > 0 {
		after["texts"] = out.Texts
	}
	return tx.Audit(ctx, a, "crisis.declare", "crisis", strconv.FormatInt(id, 10), nil, after)
}

func (cs *crises) Get(ctx context.Context, id int64) (crisis.Crisis, error) {
	c, err := scanCrisis(cs.s.reader.QueryRowContext(ctx, `SELECT `+crisisColumns+` FROM crises WHERE id = $1`, id))
	if err != nil {
		return c, notFound(err, "crisis", id)
	}
	c.Clocks, err = cs.s.clocks(ctx, cs.s.reader, id)
	return c, err
}

func (cs *crises) List(ctx context.Context, f crisis.Filter) ([]crisis.Crisis, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where := []string{"1 = 1"}
	var args []any
	if f.Open {
		where = append(where, "status <> 'closed'")
	}
	if f.Public {
		where = append(where, "public_since IS NOT NULL")
	}
	if f.Exercise != nil {
		args = append(args, *f.Exercise)
		where = append(where, fmt.Sprintf("exercise = $%d", len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := cs.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM crises WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count crises: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, cs.s.reader, "crises", scanCrisis, fmt.Sprintf(`SELECT `+crisisColumns+` FROM crises WHERE %s
		ORDER BY CASE WHEN status = 'closed' THEN 1 ELSE 0 END, level, declared_at DESC LIMIT $%d OFFSET $%d`,
		cond, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	if err := cs.s.clocksOf(ctx, cs.s.reader, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// clocksOf fills in the running clocks of a page of crises with one query,
// not one per crisis.
func (s *Store) clocksOf(ctx context.Context, q querier, cs []crisis.Crisis) error {
	if len(cs) == 0 {
		return nil
	}
	marks := make([]string, len(cs))
	args := make([]any, len(cs))
	at := make(map[int64]int, len(cs))
	for i, c := range cs {
		marks[i], args[i], at[c.ID] = fmt.Sprintf("$%d", i+1), c.ID, i
	}
	clocks, err := queryAll(ctx, q, "clocks", scanClock, `SELECT `+clockColumns+` FROM crisis_clocks
		WHERE crisis_id IN (`+strings.Join(marks, ", ")+`) AND cancelled_at IS NULL ORDER BY due_at, id`, args...)
	if err != nil {
		return err
	}
	for _, c := range clocks {
		i := at[c.CrisisID]
		cs[i].Clocks = append(cs[i].Clocks, c)
	}
	return nil
}

// change runs a command on a crisis inside a transaction with its row
// read first, and audits before and after.
func (cs *crises) change(ctx context.Context, a authz.Actor, id int64, action string,
	fn func(tx *Tx, c crisis.Crisis) error) (crisis.Crisis, error) {
	if err := authz.Require(a, authz.CommandCrisis); err != nil {
		return crisis.Crisis{}, err
	}
	var out crisis.Crisis
	err := cs.s.InTx(ctx, func(tx *Tx) error {
		before, err := txCrisis(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET updated_at = $1, version = version + 1 WHERE id = $2`, tx.Now, id); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if out, err = txCrisis(ctx, tx, id); err != nil {
			return err
		}
		tx.publish(id, live.Event{Type: "status"})
		return tx.Audit(ctx, a, "crisis."+action, "crisis", strconv.FormatInt(id, 10), auditCrisis(before), auditCrisis(out))
	})
	if err != nil {
		return out, err
	}
	out.Clocks, err = cs.s.clocks(ctx, cs.s.reader, id)
	return out, err
}

func (cs *crises) Activate(ctx context.Context, a authz.Actor, id, planID int64) (crisis.Crisis, error) {
	return cs.change(ctx, a, id, "activate", func(tx *Tx, c crisis.Crisis) error { return tx.activate(ctx, a, c, planID) })
}

// activate activates plan planID in crisis c, in tx; Activate and a
// drill's start call it.
func (tx *Tx) activate(ctx context.Context, a authz.Actor, c crisis.Crisis, planID int64) error {
	id := c.ID
	if err := c.CanActivate(); err != nil {
		return err
	}
	p, err := txPlan(ctx, tx, planID)
	if err != nil {
		return fault.Field("plan_id", "plan %d does not exist", planID)
	}
	if p.Status != plan.Approved {
		return fault.New(fault.Conflict, "plan %s v%d is %s: only an approved plan can be activated", p.Code, p.Version, p.Status)
	}
	if p.TypeID != c.TypeID {
		return fault.Field("plan_id", "plan %s is for another crisis type", p.Code)
	}
	if _, err := tx.Exec(ctx, `UPDATE crises SET status = 'active', plan_id = $1, activated_at = $2 WHERE id = $3`,
		planID, tx.Now, id); err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	if err := tx.meetClock(ctx, id, "activation"); err != nil {
		return err
	}
	n, err := tx.addTasks(ctx, c.ID, c.Level, p.Body, activationPhases, tx.Now, crisis.FromActivation)
	if err != nil {
		return err
	}
	if err := tx.startCadence(ctx, c.ID, c.Level, p.Body, plan.Response); err != nil {
		return err
	}
	if err := tx.note(ctx, id, a, "activated", crisis.M("systext.activated", "Code", p.Code, "Version", strconv.Itoa(p.Version), "Plan", p.Title, "Tasks", strconv.Itoa(n), "Level", c.Level.String())); err != nil {
		return err
	}
	return tx.completeHappened(ctx, id)
}

func (cs *crises) ChangeLevel(ctx context.Context, a authz.Actor, id int64, l catalog.Level, reason string) (crisis.Crisis, error) {
	return cs.change(ctx, a, id, "level", func(tx *Tx, c crisis.Crisis) error {
		if err := c.CanChangeLevel(l); err != nil {
			return err
		}
		if reason = crisis.Text(reason); reason == "" {
			return fault.Field("reason", "say why the level changes")
		}
		if err := crisis.ValidateReason("reason", reason, true); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET level = $1 WHERE id = $2`, int(l), id); err != nil {
			return fmt.Errorf("change level: %w", err)
		}
		m := crisis.M("systext.level", "From", c.Level.String(), "To", l.String(), "Reason", reason)
		if c.PlanID != 0 {
			p, err := txPlan(ctx, tx, c.PlanID)
			if err != nil {
				return err
			}
			phases, basis := activationPhases, crisis.FromActivation
			if c.Status == crisis.Recovering {
				phases, basis = allPhases, crisis.FromRecovery
			}
			n, err := tx.addTasks(ctx, c.ID, l, p.Body, phases, tx.Now, basis)
			if err != nil {
				return err
			}
			// The new level's steps whose event has happened already.
			if err := tx.completeHappened(ctx, c.ID); err != nil {
				return err
			}
			if c.Status == crisis.Active {
				if err := tx.cancelCadence(ctx, id); err != nil {
					return err
				}
				if err := tx.startCadence(ctx, c.ID, l, p.Body, plan.Response); err != nil {
					return err
				}
			}
			m = crisis.M("systext.level_tasks", "From", c.Level.String(), "To", l.String(), "Reason", reason, "Tasks", strconv.Itoa(n))
		}
		tx.publish(id, live.Event{Type: "level"})
		return tx.note(ctx, id, a, "level", m)
	})
}

func (cs *crises) Recover(ctx context.Context, a authz.Actor, id int64, note string) (crisis.Crisis, error) {
	return cs.change(ctx, a, id, "recover", func(tx *Tx, c crisis.Crisis) error {
		if err := c.CanRecover(); err != nil {
			return err
		}
		if note = crisis.Text(note); note != "" {
			if err := crisis.ValidateReason("note", note, false); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET status = 'recovering', recovering_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return fmt.Errorf("recover: %w", err)
		}
		if err := tx.cancelCadence(ctx, id); err != nil {
			return err
		}
		p, err := txPlan(ctx, tx, c.PlanID)
		if err != nil {
			return err
		}
		if err := tx.startCadence(ctx, c.ID, c.Level, p.Body, plan.Recovery); err != nil {
			return err
		}
		// Recovery steps start now: their deadlines count from here.
		n, err := tx.addTasks(ctx, c.ID, c.Level, p.Body, recoveryPhases, tx.Now, crisis.FromRecovery)
		if err != nil {
			return err
		}
		m := crisis.M("systext.recovering", "Tasks", strconv.Itoa(n))
		if note != "" {
			m = crisis.M("systext.recovering_note", "Tasks", strconv.Itoa(n), "Note", note)
		}
		if err := tx.note(ctx, id, a, "recovering", m); err != nil {
			return err
		}
		return tx.completeHappened(ctx, id)
	})
}

func (cs *crises) Close(ctx context.Context, a authz.Actor, id int64, summary string) (crisis.Crisis, error) {
	return cs.change(ctx, a, id, "close", func(tx *Tx, c crisis.Crisis) error {
		summary = crisis.Text(summary)
		if err := c.CanClose(summary); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET status = 'closed', closed_at = $1, closing_note = $2 WHERE id = $3`,
			tx.Now, summary, id); err != nil {
			return fmt.Errorf("close: %w", err)
		}
		// Clocks stop: whatever is still open will never be met.
		if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET cancelled_at = $1 WHERE crisis_id = $2 AND met_at IS NULL AND cancelled_at IS NULL`,
			tx.Now, id); err != nil {
			return fmt.Errorf("stop clocks: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO crisis_reviews (crisis_id, updated_at) VALUES ($1, $2) ON CONFLICT (crisis_id) DO NOTHING`,
			id, tx.Now); err != nil {
			return fmt.Errorf("open review: %w", err)
		}
		if err := tx.scheduleSurvey(ctx, c); err != nil {
			return err
		}
		return tx.note(ctx, id, a, "closed", crisis.M("systext.closed", "Summary", summary))
	})
}

func (cs *crises) ShowPublicly(ctx context.Context, a authz.Actor, id int64) (crisis.Crisis, error) {
	return cs.change(ctx, a, id, "show_public", func(tx *Tx, c crisis.Crisis) error {
		if err := c.CanShowPublicly(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET public_since = $1, public_by = $2 WHERE id = $3`, tx.Now, a.UserID, id); err != nil {
			return fmt.Errorf("show on the public site: %w", err)
		}
		if err := tx.publicChanged(ctx, "crisis", id); err != nil {
			return err
		}
		return tx.note(ctx, id, a, "shown_public", crisis.M("systext.shown_public"))
	})
}

// makePublic puts a crisis on the public site as its first public notice
// is published; nothing when it is there already.
func (tx *Tx) makePublic(ctx context.Context, crisisID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE crises SET public_since = $1 WHERE id = $2 AND public_since IS NULL`, tx.Now, crisisID); err != nil {
		return fmt.Errorf("put the crisis on the public site: %w", err)
	}
	return nil
}

// textsJSON is a crisis's wordings as the texts column keeps them.
func textsJSON(ts crisis.Texts) (string, error) {
	if len(ts) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(ts)
	if err != nil {
		return "", fmt.Errorf("crisis texts: %w", err)
	}
	return string(b), nil
}
