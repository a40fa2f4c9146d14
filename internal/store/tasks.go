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
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/plan"
)

const taskColumns = `t.id, t.crisis_id, t.step_key, t.phase, t.title, t.level, t.owner_role, t.owner_dept_id, t.assignee_id,
	t.due_at, t.done_at, t.done_by, t.checklist, t.completes_on, t.version, COALESCE(u.display_name, ''), COALESCE(u.department_id, 0)`

const taskFrom = ` FROM crisis_tasks t LEFT JOIN users u ON u.id = t.assignee_id`

func scanTask(r rowScanner) (crisis.Task, error) {
	var t crisis.Task
	var phase, role, checklist, completesOn string
	var level int
	var dept, assignee, doneBy sql.NullInt64
	var done sql.NullTime
	if err := r.Scan(&t.ID, &t.CrisisID, &t.StepKey, &phase, &t.Title, &level, &role, &dept, &assignee,
		&t.DueAt, &done, &doneBy, &checklist, &completesOn, &t.Version, &t.AssigneeName, &t.AssigneeDeptID); err != nil {
		return t, err
	}
	t.CompletesOn = plan.Event(completesOn)
	t.Phase, t.Level, t.OwnerRole = plan.Phase(phase), catalog.Level(level), authz.Role(role)
	t.OwnerDeptID, t.AssigneeID, t.DoneBy = dept.Int64, assignee.Int64, doneBy.Int64
	t.DueAt, t.DoneAt = utc(t.DueAt), timeOf(done)
	if err := jsonUnmarshal(checklist, &t.Checklist); err != nil {
		return t, fmt.Errorf("task %d checklist: %w", t.ID, err)
	}
	return t, nil
}

// assignee finds who holds a step: the first enabled user with the role,
// or the department's liaison (else its first member).
func (tx *Tx) assignee(ctx context.Context, role authz.Role, deptCode string) (deptID, userID int64, err error) {
	if deptCode != "" {
		if err := tx.QueryRow(ctx, `SELECT id FROM departments WHERE code = $1`, deptCode).Scan(&deptID); err != nil && err != sql.ErrNoRows {
			return 0, 0, fmt.Errorf("find department %s: %w", deptCode, err)
		}
	}
	var q string
	var arg any
	switch {
	case role != "":
		q, arg = `SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id LIMIT 1`, string(role)
	case deptID != 0:
		q, arg = `SELECT id FROM users WHERE department_id = $1 AND NOT disabled ORDER BY CASE WHEN role = 'liaison' THEN 0 ELSE 1 END, id LIMIT 1`, deptID
	default:
		return deptID, 0, nil
	}
	if err := tx.QueryRow(ctx, q, arg).Scan(&userID); err != nil && err != sql.ErrNoRows {
		return 0, 0, fmt.Errorf("find assignee: %w", err)
	}
	return deptID, userID, nil
}

// stepsIn are the phases whose steps start with the plan's activation;
// recovery steps start when the crisis moves to recovery.
var (
	activationPhases = []plan.Phase{plan.Warning, plan.Response}
	recoveryPhases   = []plan.Phase{plan.Recovery}
	allPhases        = plan.Phases
)

// addTasks creates the tasks of level l's steps in phases that the crisis
// does not have yet, each with its deadline clock counting from start
// (which is basis). It returns how many it made.
func (tx *Tx) addTasks(ctx context.Context, crisisID int64, l catalog.Level, b plan.Body, phases []plan.Phase,
	start time.Time, basis crisis.Basis) (int, error) {
	existing := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT step_key FROM crisis_tasks WHERE crisis_id = $1`, crisisID)
	if err != nil {
		return 0, fmt.Errorf("read tasks: %w", err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, err
		}
		existing[k] = true
	}
	rows.Close()
	owners := map[string]plan.Step{}
	for _, s := range b.Steps {
		owners[s.Key] = s
	}
	var steps []plan.Step
	for _, s := range b.StepsFor(l) {
		if slices.Contains(phases, s.Phase) {
			steps = append(steps, s)
		}
	}
	tasks := crisis.TasksFromSteps(crisisID, l, steps, existing, start)
	for _, t := range tasks {
		step := owners[t.StepKey]
		deptID, userID, err := tx.assignee(ctx, step.OwnerRole, step.OwnerDept)
		if err != nil {
			return 0, err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO crisis_tasks (crisis_id, step_key, phase, title, level, owner_role, owner_dept_id,
			assignee_id, due_at, checklist, completes_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			crisisID, t.StepKey, string(t.Phase), t.Title, int(t.Level), string(t.OwnerRole), nullInt(deptID), nullInt(userID),
			t.DueAt, mustJSON(nonNil(t.Checklist)), string(t.CompletesOn)).Scan(&id); err != nil {
			return 0, fmt.Errorf("create task %s: %w", t.StepKey, err)
		}
		if err := tx.startClock(ctx, crisis.Clock{CrisisID: crisisID, Kind: crisis.TaskClock, Name: "task:" + strconv.FormatInt(id, 10),
			Ref: strconv.FormatInt(id, 10), OwnerID: userID, Basis: basis, Subject: t.Title, StartedAt: start, DueAt: t.DueAt}); err != nil {
			return 0, err
		}
	}
	tx.publish(crisisID, live.Event{Type: "task"})
	return len(tasks), nil
}

func nonNil(items []crisis.CheckItem) []crisis.CheckItem {
	if items == nil {
		return []crisis.CheckItem{}
	}
	return items
}

func (cs *crises) Tasks(ctx context.Context, crisisID int64) ([]crisis.Task, error) {
	return queryAll(ctx, cs.s.reader, "tasks", scanTask, `SELECT `+taskColumns+taskFrom+` WHERE t.crisis_id = $1 ORDER BY t.due_at, t.id`, crisisID)
}

func (cs *crises) Task(ctx context.Context, id int64) (crisis.Task, error) {
	t, err := scanTask(cs.s.reader.QueryRowContext(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.id = $1`, id))
	if err != nil {
		return t, notFound(err, "task", id)
	}
	return t, nil
}

// changeTask runs fn on a task whose version must match, then bumps it.
// Who may is crisis.CanWork, checked in the transaction against the
// task's owner and the actor's department as they are now.
func (cs *crises) changeTask(ctx context.Context, a authz.Actor, id, version int64, action string,
	fn func(tx *Tx, t crisis.Task) (crisis.Msg, error)) (crisis.Task, error) {
	if err := authz.Require(a, authz.WorkTasks); err != nil {
		return crisis.Task{}, err
	}
	var out crisis.Task
	err := cs.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.id = $1`, id))
		if err != nil {
			return notFound(err, "task", id)
		}
		var dept sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT department_id FROM users WHERE id = $1`, a.UserID).Scan(&dept); err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("read the actor's department: %w", err)
		}
		if err := crisis.CanWork(before, crisis.Worker{UserID: a.UserID, Role: a.Role, DepartmentID: dept.Int64}); err != nil {
			return err
		}
		if before.Version != version {
			return fault.New(fault.Conflict, "someone else changed this task meanwhile: reload and try again")
		}
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM crises WHERE id = $1`, before.CrisisID).Scan(&status); err != nil {
			return fmt.Errorf("read crisis: %w", err)
		}
		if crisis.Status(status) == crisis.Closed {
			return fault.New(fault.Conflict, "the crisis is closed")
		}
		text, err := fn(tx, before)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crisis_tasks SET version = version + 1 WHERE id = $1`, id); err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if out, err = scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.id = $1`, id)); err != nil {
			return err
		}
		tx.publish(before.CrisisID, live.Event{Type: "task", ID: id})
		if text.Key != "" {
			if err := tx.note(ctx, before.CrisisID, a, action, text); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "task."+action, "task", strconv.FormatInt(id, 10),
			map[string]any{"done": before.Done(), "checklist": before.Checklist}, map[string]any{"done": out.Done(), "checklist": out.Checklist})
	})
	return out, err
}

func (cs *crises) SetTaskDone(ctx context.Context, a authz.Actor, id int64, done bool, version int64) (crisis.Task, error) {
	return cs.changeTask(ctx, a, id, version, "task_done", func(tx *Tx, t crisis.Task) (crisis.Msg, error) {
		if t.Done() == done {
			return crisis.Msg{}, nil
		}
		clock := "task:" + strconv.FormatInt(id, 10)
		if done {
			if _, err := tx.Exec(ctx, `UPDATE crisis_tasks SET done_at = $1, done_by = $2 WHERE id = $3`, tx.Now, a.UserID, id); err != nil {
				return crisis.Msg{}, fmt.Errorf("tick task: %w", err)
			}
			if err := tx.meetClock(ctx, t.CrisisID, clock); err != nil {
				return crisis.Msg{}, err
			}
			return crisis.M("systext.task_done", "Title", t.Title), nil
		}
		if _, err := tx.Exec(ctx, `UPDATE crisis_tasks SET done_at = NULL, done_by = NULL WHERE id = $1`, id); err != nil {
			return crisis.Msg{}, fmt.Errorf("untick task: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE crisis_clocks SET met_at = NULL WHERE crisis_id = $1 AND name = $2`, t.CrisisID, clock); err != nil {
			return crisis.Msg{}, fmt.Errorf("reopen task clock: %w", err)
		}
		tx.publish(t.CrisisID, live.Event{Type: "clock"})
		return crisis.M("systext.task_reopened", "Title", t.Title), nil
	})
}

func (cs *crises) SetCheckItem(ctx context.Context, a authz.Actor, id int64, index int, done bool, version int64) (crisis.Task, error) {
	return cs.changeTask(ctx, a, id, version, "check", func(tx *Tx, t crisis.Task) (crisis.Msg, error) {
		if index < 0 || index >= len(t.Checklist) {
			return crisis.Msg{}, fault.Field("index", "the task has no checklist item %d", index)
		}
		t.Checklist[index].Done = done
		if _, err := tx.Exec(ctx, `UPDATE crisis_tasks SET checklist = $1 WHERE id = $2`, mustJSON(t.Checklist), id); err != nil {
			return crisis.Msg{}, fmt.Errorf("tick checklist: %w", err)
		}
		return crisis.Msg{}, nil
	})
}

// completeTasks completes, as the system, the open tasks of a crisis that
// complete on one of events: each is recorded done with no person, its
// clock met (so it never alerts), and a timeline entry says the system
// did it. It returns how many it completed.
func (tx *Tx) completeTasks(ctx context.Context, crisisID int64, events ...plan.Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	marks := make([]string, len(events))
	args := []any{tx.Now, crisisID}
	for i, e := range events {
		marks[i] = fmt.Sprintf("$%d", i+3)
		args = append(args, string(e))
	}
	rows, err := tx.Query(ctx, `UPDATE crisis_tasks SET done_at = $1, done_by = NULL, version = version + 1
		WHERE crisis_id = $2 AND done_at IS NULL AND completes_on IN (`+strings.Join(marks, ", ")+`)
		RETURNING id, title, completes_on`, args...)
	if err != nil {
		return 0, fmt.Errorf("complete tasks on %v: %w", events, err)
	}
	type done struct {
		id           int64
		title, event string
	}
	var tasks []done
	for rows.Next() {
		var d done
		if err := rows.Scan(&d.id, &d.title, &d.event); err != nil {
			rows.Close()
			return 0, fmt.Errorf("complete tasks: %w", err)
		}
		tasks = append(tasks, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("complete tasks: %w", err)
	}
	slices.SortFunc(tasks, func(a, b done) int { return int(a.id - b.id) })
	system := authz.System(authz.SourceSystem, "crisisdesk")
	for _, d := range tasks {
		id := strconv.FormatInt(d.id, 10)
		if err := tx.meetClock(ctx, crisisID, "task:"+id); err != nil {
			return 0, err
		}
		if err := tx.note(ctx, crisisID, system, "task_done", crisis.M("systext.task_done_system", "EventKey", "systext.event."+eventBase(d.event), "Title", d.title)); err != nil {
			return 0, err
		}
		if err := tx.Audit(ctx, system, "task.task_done", "task", id, map[string]any{"done": false},
			map[string]any{"done": true, "completes_on": d.event}); err != nil {
			return 0, err
		}
	}
	if len(tasks) > 0 {
		tx.publish(crisisID, live.Event{Type: "task"})
	}
	return len(tasks), nil
}

// completeHappened completes the open tasks whose event has happened by
// now in the crisis: tasks made after their event (a first notice
// published before the plan was activated, a level raised after it)
// complete as soon as they exist.
func (tx *Tx) completeHappened(ctx context.Context, crisisID int64) error {
	c, err := txCrisis(ctx, tx, crisisID)
	if err != nil {
		return err
	}
	var events []plan.Event
	if !c.ActivatedAt.IsZero() {
		events = append(events, plan.OnActivated)
	}
	if !c.FirstNoticeAt.IsZero() {
		events = append(events, plan.OnFirstNotice)
	}
	if !c.RecoveringAt.IsZero() {
		events = append(events, plan.OnRecovery)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT audience FROM notices WHERE crisis_id = $1 AND published_at IS NOT NULL`, crisisID)
	if err != nil {
		return fmt.Errorf("audiences published to: %w", err)
	}
	for rows.Next() {
		var aud string
		if err := rows.Scan(&aud); err != nil {
			rows.Close()
			return err
		}
		events = append(events, plan.NoticePublished(plan.Audience(aud)))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.completeTasks(ctx, crisisID, events...)
	return err
}

// eventBase is the plan event without its argument (notice_published:KIND
// is notice_published), naming it in a system text.
func eventBase(event string) string {
	base, _, _ := strings.Cut(event, ":")
	return base
}
