package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/plan"
)

// drills implements drill.Service.
type drills struct{ s *Store }

// Drills returns the drill service.
func (s *Store) Drills() drill.Service { return &drills{s} }

// drillBody is the JSON column holding what a drill's planner writes
// beyond its columns.
type drillBody struct {
	Objectives   []drill.Objective   `json:"objectives"`
	Scenario     string              `json:"scenario"`
	Venue        string              `json:"venue"`
	Equipment    []string            `json:"equipment"`
	Participants []drill.Participant `json:"participants"`
	Observers    []int64             `json:"observers"`
	Evaluators   []int64             `json:"evaluators"`
}

const drillColumns = `id, title, plan_id, type_id, kind, level, state, starts_at, ends_at, controller_id, author_id,
	body, safety, steps, crisis_id, started_at, paused_at, ended_at, stopped, stop_reason, report_due, evaluated_at, closed_at,
	created_at, updated_at, lock_version`

func scanDrill(r rowScanner) (drill.Drill, error) {
	var d drill.Drill
	var kind, state, body, safety, steps string
	var level int
	var crisisID sql.NullInt64
	var started, paused, ended, due, evaluated, closed sql.NullTime
	if err := r.Scan(&d.ID, &d.Title, &d.PlanID, &d.TypeID, &kind, &level, &state, &d.StartsAt, &d.EndsAt, &d.ControllerID, &d.AuthorID,
		&body, &safety, &steps, &crisisID, &started, &paused, &ended, &d.Stopped, &d.StopReason, &due, &evaluated, &closed,
		&d.CreatedAt, &d.UpdatedAt, &d.Lock); err != nil {
		return d, err
	}
	d.Kind, d.Level, d.State, d.CrisisID = drill.Kind(kind), catalog.Level(level), drill.State(state), crisisID.Int64
	d.StartsAt, d.EndsAt, d.CreatedAt, d.UpdatedAt = utc(d.StartsAt), utc(d.EndsAt), utc(d.CreatedAt), utc(d.UpdatedAt)
	d.PausedAt = timeOf(paused)
	d.StartedAt, d.EndedAt, d.ReportDue, d.EvaluatedAt, d.ClosedAt = timeOf(started), timeOf(ended), timeOf(due), timeOf(evaluated), timeOf(closed)
	var b drillBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return d, fmt.Errorf("drill %d body: %w", d.ID, err)
	}
	d.Objectives, d.Scenario, d.Venue, d.Equipment = b.Objectives, b.Scenario, b.Venue, b.Equipment
	d.Participants, d.Observers, d.Evaluators = b.Participants, b.Observers, b.Evaluators
	if err := json.Unmarshal([]byte(safety), &d.Safety); err != nil {
		return d, fmt.Errorf("drill %d safety: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(steps), &d.Steps); err != nil {
		return d, fmt.Errorf("drill %d steps: %w", d.ID, err)
	}
	return d, nil
}

func drillCols(d drill.Drill) []col {
	b := drillBody{Objectives: orEmpty(d.Objectives), Scenario: d.Scenario, Venue: d.Venue, Equipment: orEmpty(d.Equipment),
		Participants: orEmpty(d.Participants), Observers: orEmpty(d.Observers), Evaluators: orEmpty(d.Evaluators)}
	d.Safety.Hazards, d.Safety.Measures = orEmpty(d.Safety.Hazards), orEmpty(d.Safety.Measures)
	return []col{
		{"title", d.Title}, {"plan_id", d.PlanID}, {"type_id", d.TypeID}, {"kind", string(d.Kind)}, {"level", int(d.Level)},
		{"state", string(d.State)}, {"starts_at", d.StartsAt.UTC()}, {"ends_at", d.EndsAt.UTC()},
		{"controller_id", d.ControllerID}, {"author_id", d.AuthorID},
		{"body", mustJSON(b)}, {"safety", mustJSON(d.Safety)}, {"steps", mustJSON(orEmpty(d.Steps))},
		{"crisis_id", nullInt(d.CrisisID)}, {"started_at", nullTime(d.StartedAt)}, {"paused_at", nullTime(d.PausedAt)}, {"ended_at", nullTime(d.EndedAt)},
		{"stopped", d.Stopped}, {"stop_reason", d.StopReason}, {"report_due", nullTime(d.ReportDue)},
		{"evaluated_at", nullTime(d.EvaluatedAt)}, {"closed_at", nullTime(d.ClosedAt)},
		{"created_at", d.CreatedAt}, {"updated_at", d.UpdatedAt},
	}
}

// auditDrill is the audit trail's view of a drill.
func auditDrill(d drill.Drill) map[string]any {
	return map[string]any{"title": d.Title, "plan_id": d.PlanID, "kind": d.Kind, "level": d.Level.String(), "state": d.State,
		"starts_at": d.StartsAt, "ends_at": d.EndsAt, "venue": d.Venue, "controller_id": d.ControllerID,
		"participants": d.Participants, "observers": d.Observers, "evaluators": d.Evaluators,
		"objectives": d.Objectives, "safety": d.Safety, "crisis_id": d.CrisisID, "stopped": d.Stopped,
		"stop_reason": d.StopReason, "lock": d.Lock}
}

func txDrill(ctx context.Context, tx *Tx, id int64) (drill.Drill, error) {
	d, err := scanDrill(tx.QueryRow(ctx, `SELECT `+drillColumns+` FROM drills WHERE id = $1`, id))
	if err != nil {
		return d, notFound(err, "drill", id)
	}
	return d, nil
}

func (ds *drills) Get(ctx context.Context, id int64) (drill.Drill, error) {
	d, err := scanDrill(ds.s.reader.QueryRowContext(ctx, `SELECT `+drillColumns+` FROM drills WHERE id = $1`, id))
	if err != nil {
		return d, notFound(err, "drill", id)
	}
	return d, nil
}

func (ds *drills) ByCrisis(ctx context.Context, crisisID int64) (drill.Drill, error) {
	d, err := scanDrill(ds.s.reader.QueryRowContext(ctx, `SELECT `+drillColumns+` FROM drills WHERE crisis_id = $1`, crisisID))
	if err != nil {
		return d, notFound(err, "drill of crisis", crisisID)
	}
	return d, nil
}

func (ds *drills) List(ctx context.Context, f drill.Filter) ([]drill.Drill, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	cond, args := "1 = 1", []any{}
	if f.State != "" {
		cond, args = "state = $1", append(args, string(f.State))
	}
	var total int
	if err := ds.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM drills WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count drills: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, ds.s.reader, "drills", scanDrill, fmt.Sprintf(`SELECT `+drillColumns+
		` FROM drills WHERE %s ORDER BY starts_at DESC, id DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

// checkDetails refuses a plan, plan steps or people that do not exist.
// It returns the plan's crisis type.
func checkDetails(ctx context.Context, tx *Tx, in drill.Details) (int64, error) {
	var f fault.Fields
	p, err := txPlan(ctx, tx, in.PlanID)
	if fault.Is(err, fault.NotFound) {
		return 0, fault.Field("plan_id", "plan %d does not exist", in.PlanID)
	}
	if err != nil {
		return 0, err
	}
	keys := map[string]bool{}
	for _, s := range p.Body.Steps {
		keys[s.Key] = true
	}
	for _, o := range in.Objectives {
		for _, k := range o.Steps {
			if !keys[k] {
				f.Add("objectives", "plan %s has no step %q", p.Code, k)
			}
		}
	}
	users := map[string][]int64{"controller_id": {in.ControllerID}, "observers": in.Observers, "evaluators": in.Evaluators}
	for _, pt := range in.Participants {
		if pt.UserID != 0 {
			users["participants"] = append(users["participants"], pt.UserID)
		}
	}
	for _, field := range []string{"controller_id", "participants", "observers", "evaluators"} {
		for _, id := range users[field] {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, id).Scan(&n); err != nil {
				return 0, fmt.Errorf("check user: %w", err)
			}
			if n == 0 {
				f.Add(field, "user %d does not exist or is disabled", id)
				break
			}
		}
	}
	return p.TypeID, f.Err()
}

func (ds *drills) Create(ctx context.Context, a authz.Actor, in drill.Details) (drill.Drill, error) {
	var out drill.Drill
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		cl, err := txChecklist(ctx, tx)
		if err != nil {
			return err
		}
		d, err := drill.New(a, tx.Now, in, cl)
		if err != nil {
			return err
		}
		if d.TypeID, err = checkDetails(ctx, tx, d.Details()); err != nil {
			return err
		}
		cols := drillCols(d)
		names, marks, args := "", "", make([]any, 0, len(cols))
		for i, c := range cols {
			if i > 0 {
				names, marks = names+", ", marks+", "
			}
			names += c.name
			marks += "$" + strconv.Itoa(i+1)
			args = append(args, c.value)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO drills (`+names+`) VALUES (`+marks+`) RETURNING id`, args...).Scan(&id); err != nil {
			return fmt.Errorf("insert drill: %w", err)
		}
		if out, err = txDrill(ctx, tx, id); err != nil {
			return err
		}
		tx.publishDrill(id)
		return tx.Audit(ctx, a, "drill.create", "drill", strconv.FormatInt(id, 10), nil, auditDrill(out))
	})
	return out, err
}

// change runs a transition on drill id inside a transaction: load, rule
// (fn), save, audit. lock, when not 0, must match the stored one.
func (ds *drills) change(ctx context.Context, a authz.Actor, id, lock int64, action string,
	fn func(tx *Tx, d drill.Drill) (drill.Drill, error)) (drill.Drill, error) {
	var out drill.Drill
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		before, err := txDrill(ctx, tx, id)
		if err != nil {
			return err
		}
		if lock != 0 && lock != before.Lock {
			return fault.New(fault.Conflict, "drill %d was changed by someone else: reload and try again", id)
		}
		d, err := fn(tx, before)
		if err != nil {
			return err
		}
		set, args := setClause(drillCols(d)...)
		args = append(args, id, before.Lock)
		res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE drills SET %s, lock_version = lock_version + 1 WHERE id = $%d AND lock_version = $%d`,
			set, len(args)-1, len(args)), args...)
		if err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "drill %d was changed by someone else: reload and try again", id)
		}
		if out, err = txDrill(ctx, tx, id); err != nil {
			return err
		}
		tx.publishDrill(id)
		return tx.Audit(ctx, a, "drill."+action, "drill", strconv.FormatInt(id, 10), auditDrill(before), auditDrill(out))
	})
	return out, err
}

// publishDrill tells the drill's live viewers it changed, after commit.
func (tx *Tx) publishDrill(id int64) {
	if tx.store.live == nil {
		return
	}
	b := tx.store.live
	tx.AfterCommit(func() { b.Publish(live.DrillTopic(id), live.Event{Type: "drill", ID: id}) })
}

func (ds *drills) Save(ctx context.Context, a authz.Actor, id, lock int64, in drill.Details) (drill.Drill, error) {
	return ds.change(ctx, a, id, lock, "save", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.Edit(d, a, tx.Now, in)
		if err != nil {
			return d, err
		}
		out.TypeID, err = checkDetails(ctx, tx, out.Details())
		return out, err
	})
}

func (ds *drills) SaveSafety(ctx context.Context, a authz.Actor, id, lock int64, s drill.Safety) (drill.Drill, error) {
	return ds.change(ctx, a, id, lock, "safety", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.EditSafety(d, a, tx.Now, s)
		if err != nil || out.Safety.OfficerID == 0 {
			return out, err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, out.Safety.OfficerID).Scan(&n); err != nil {
			return out, fmt.Errorf("check safety officer: %w", err)
		}
		if n == 0 {
			return out, fault.Field("officer_id", "user %d does not exist or is disabled", out.Safety.OfficerID)
		}
		return out, nil
	})
}

// SignSafety signs the gate; the drill is ready, and every person on it
// gets an invitation, in the app and by e-mail.
func (ds *drills) SignSafety(ctx context.Context, a authz.Actor, id int64) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "sign_safety", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.SignSafety(d, a, tx.Now)
		if err != nil {
			return d, err
		}
		ref := out.StartsAt.UTC().Format(time.RFC3339) // a new time is a new invitation
		for _, uid := range out.People() {
			if err := tx.mailDrillMessage(ctx, out.ID, uid, "invitation", ref, ""); err != nil {
				return d, err
			}
		}
		return out, nil
	})
}

// Start declares the exercise crisis from the plan under test and
// activates the plan in it, in the same transaction as the drill's start:
// every clock, task, template and approval as in a real crisis.
func (ds *drills) Start(ctx context.Context, a authz.Actor, id int64) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "start", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		p, err := txPlan(ctx, tx, d.PlanID)
		if err != nil {
			return d, err
		}
		// The pure rule first, with a stand-in crisis, so that a refusal
		// declares nothing.
		if _, err := drill.Start(d, a, tx.Now, p.Status == plan.Approved, -1); err != nil {
			return d, err
		}
		decl := crisis.Declaration{Title: d.Title, TypeID: d.TypeID, Level: d.Level, Exercise: true,
			Location: d.Venue, Summary: d.Scenario, OccurredAt: tx.Now}
		decl.Normalize()
		if err := decl.Validate(tx.Now); err != nil {
			return d, err
		}
		var c crisis.Crisis
		if err := tx.declare(ctx, a, decl, &c); err != nil {
			return d, err
		}
		if err := tx.activate(ctx, a, c, p.ID); err != nil {
			return d, err
		}
		if _, err := tx.Exec(ctx, `UPDATE crises SET updated_at = $1, version = version + 1 WHERE id = $2`, tx.Now, c.ID); err != nil {
			return d, fmt.Errorf("start drill: %w", err)
		}
		if err := tx.note(ctx, c.ID, a, "drill_started", crisis.M("systext.drill_started", "Title", d.Title)); err != nil {
			return d, err
		}
		after, err := txCrisis(ctx, tx, c.ID)
		if err != nil {
			return d, err
		}
		if err := tx.Audit(ctx, a, "crisis.activate", "crisis", strconv.FormatInt(c.ID, 10), auditCrisis(c), auditCrisis(after)); err != nil {
			return d, err
		}
		out, err := drill.Start(d, a, tx.Now, true, c.ID)
		if err != nil {
			return d, err
		}
		return out, tx.scheduleInjects(ctx, out, false, 0)
	})
}

func (ds *drills) End(ctx context.Context, a authz.Actor, id int64, note string) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "end", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.End(d, a, tx.Now, note)
		if err != nil {
			return d, err
		}
		if err := tx.note(ctx, d.CrisisID, a, "drill_ended", crisis.M("systext.drill_ended", "Title", d.Title)); err != nil {
			return d, err
		}
		return out, tx.ended(ctx, out)
	})
}

// Stop stops a running drill for safety: the exercise crisis's timeline
// says who and why, and every person on the drill gets a message.
func (ds *drills) Stop(ctx context.Context, a authz.Actor, id int64, reason string) (drill.Drill, error) {
	return ds.change(ctx, a, id, 0, "safety_stop", func(tx *Tx, d drill.Drill) (drill.Drill, error) {
		out, err := drill.Stop(d, a, tx.Now, reason)
		if err != nil {
			return d, err
		}
		if err := tx.note(ctx, d.CrisisID, a, "drill_stopped", crisis.M("systext.drill_stopped", "Title", d.Title, "Name", a.Name, "Reason", out.StopReason)); err != nil {
			return d, err
		}
		for _, uid := range d.People() {
			if err := tx.mailDrillMessage(ctx, d.ID, uid, "safety_stop", "", out.StopReason); err != nil {
				return d, err
			}
		}
		return out, tx.ended(ctx, out)
	})
}

// drillMessage records an in-app message to one of the drill's people,
// once per drill, person, kind and ref.
func (tx *Tx) drillMessage(ctx context.Context, drillID, userID int64, kind, ref, text string) error {
	_, err := tx.drillMessageID(ctx, drillID, userID, kind, ref, text)
	return err
}

// drillMessageID is drillMessage returning the new message's id, 0 when
// the person had it already.
func (tx *Tx) drillMessageID(ctx context.Context, drillID, userID int64, kind, ref, text string) (int64, error) {
	rows, err := tx.Query(ctx, `INSERT INTO drill_messages (drill_id, user_id, kind, ref, text, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (drill_id, user_id, kind, ref) DO NOTHING RETURNING id`,
		drillID, userID, kind, ref, text, tx.Now)
	if err != nil {
		return 0, fmt.Errorf("drill message: %w", err)
	}
	defer rows.Close()
	var id int64
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("drill message: %w", err)
		}
	}
	return id, rows.Err()
}

// mailDrillMessage records a message and enqueues its e-mail.
func (tx *Tx) mailDrillMessage(ctx context.Context, drillID, userID int64, kind, ref, text string) error {
	id, err := tx.drillMessageID(ctx, drillID, userID, kind, ref, text)
	if err != nil || id == 0 {
		return err
	}
	_, err = tx.Enqueue(ctx, drill.MailArgs{MessageID: id}, &river.InsertOpts{Priority: 1})
	return err
}

// DrillMail is a drill message with its person and drill, for its e-mail.
type DrillMail struct {
	Message drill.Message
	User    account.User
	Drill   drill.Drill
}

// DrillMail reads a drill message for its e-mail job.
func (s *Store) DrillMail(ctx context.Context, id int64) (DrillMail, error) {
	var m DrillMail
	var err error
	m.Message, err = scanDrillMessage(s.reader.QueryRowContext(ctx, `SELECT id, drill_id, user_id, kind, ref, text, created_at, read_at
		FROM drill_messages WHERE id = $1`, id))
	if err != nil {
		return m, notFound(err, "drill message", id)
	}
	if m.User, err = userByID(ctx, s.reader, m.Message.UserID); err != nil {
		return m, err
	}
	m.Drill, err = s.Drills().Get(ctx, m.Message.DrillID)
	return m, err
}

func scanDrillMessage(r rowScanner) (drill.Message, error) {
	var m drill.Message
	var read sql.NullTime
	err := r.Scan(&m.ID, &m.DrillID, &m.UserID, &m.Kind, &m.Ref, &m.Text, &m.CreatedAt, &read)
	m.CreatedAt, m.ReadAt = utc(m.CreatedAt), timeOf(read)
	return m, err
}

func (ds *drills) Messages(ctx context.Context, userID int64, limit int) ([]drill.Message, error) {
	_, limit = clampPage(0, limit)
	return queryAll(ctx, ds.s.reader, "drill messages", scanDrillMessage, `SELECT id, drill_id, user_id, kind, ref, text, created_at, read_at
		FROM drill_messages WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, userID, limit)
}

// defaultChecklist is the safety checklist until the office writes its own.
var defaultChecklist = drill.Checklist{
	Hazards:  []string{"Slips, trips and falls in the venue", "Participants mistaking the exercise for a real emergency", "Vehicles and equipment moving in the field"},
	Measures: []string{"Brief every participant on the stop word and the exits", "Mark every message EXERCISE", "A first-aid kit and a trained first-aider on site"},
}

func txChecklist(ctx context.Context, tx querier) (drill.Checklist, error) {
	rows, err := tx.QueryContext(ctx, `SELECT body FROM drill_checklist WHERE id = 1`)
	if err != nil {
		return drill.Checklist{}, fmt.Errorf("read safety checklist: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return defaultChecklist, rows.Err()
	}
	var body string
	var c drill.Checklist
	if err := rows.Scan(&body); err != nil {
		return c, fmt.Errorf("read safety checklist: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return c, fmt.Errorf("read safety checklist: %w", err)
	}
	return c, nil
}

func (ds *drills) Checklist(ctx context.Context) (drill.Checklist, error) {
	return txChecklist(ctx, ds.s.reader)
}

func (ds *drills) SaveChecklist(ctx context.Context, a authz.Actor, c drill.Checklist) (drill.Checklist, error) {
	if err := authz.Require(a, authz.SignDrill); err != nil {
		return c, err
	}
	s := drill.Safety{Hazards: c.Hazards, Measures: c.Measures}
	s.Normalize()
	c = drill.Checklist{Hazards: s.Hazards, Measures: s.Measures}
	if len(c.Hazards) == 0 {
		return c, fault.Field("hazards", "list the hazards")
	}
	if len(c.Measures) == 0 {
		return c, fault.Field("measures", "list the protective measures")
	}
	err := ds.s.InTx(ctx, func(tx *Tx) error {
		before, err := txChecklist(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO drill_checklist (id, body, updated_at) VALUES (1, $1, $2)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, mustJSON(c), tx.Now); err != nil {
			return fmt.Errorf("save safety checklist: %w", err)
		}
		return tx.Audit(ctx, a, "drill.checklist", "drill_checklist", "1", before, c)
	})
	return c, err
}
