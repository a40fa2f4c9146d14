package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/workplan"
)

// work implements workplan.Service.
type work struct{ s *Store }

// Work returns the work plan service.
func (s *Store) Work() workplan.Service { return &work{s} }

const programmeColumns = `id, title, starts_on, COALESCE(created_by, 0), created_at, lock_version`

func scanProgramme(r rowScanner) (workplan.Programme, error) {
	var p workplan.Programme
	err := r.Scan(&p.ID, &p.Title, &p.StartsOn, &p.CreatedBy, &p.CreatedAt, &p.Lock)
	p.StartsOn, p.CreatedAt = utc(p.StartsOn), utc(p.CreatedAt)
	return p, err
}

const workTaskColumns = `id, programme_id, COALESCE(parent_id, 0), tpl_key, title, COALESCE(owner_id, 0), start_on, end_on, resources,
	importance, outcome, status, percent, depends_on, position, created_at, updated_at, lock_version`

func scanWorkTask(r rowScanner) (workplan.Task, error) {
	var t workplan.Task
	var importance, status, deps string
	if err := r.Scan(&t.ID, &t.ProgrammeID, &t.ParentID, &t.Key, &t.Title, &t.OwnerID, &t.Start, &t.End, &t.Resources,
		&importance, &t.Outcome, &status, &t.Percent, &deps, &t.Position, &t.CreatedAt, &t.UpdatedAt, &t.Lock); err != nil {
		return t, err
	}
	t.Importance, t.Status = workplan.Importance(importance), workplan.Status(status)
	t.Start, t.End, t.CreatedAt, t.UpdatedAt = utc(t.Start), utc(t.End), utc(t.CreatedAt), utc(t.UpdatedAt)
	if err := json.Unmarshal([]byte(deps), &t.DependsOn); err != nil {
		return t, fmt.Errorf("task %d dependencies: %w", t.ID, err)
	}
	return t, nil
}

func workTaskCols(t workplan.Task) []col {
	return []col{
		{"parent_id", nullInt(t.ParentID)}, {"tpl_key", t.Key}, {"title", t.Title}, {"owner_id", nullInt(t.OwnerID)},
		{"start_on", t.Start.UTC()}, {"end_on", t.End.UTC()}, {"resources", t.Resources}, {"importance", string(t.Importance)},
		{"outcome", t.Outcome}, {"status", string(t.Status)}, {"percent", t.Percent}, {"depends_on", mustJSON(orEmpty(t.DependsOn))},
		{"position", t.Position}, {"updated_at", t.UpdatedAt},
	}
}

func (ws *work) Programme(ctx context.Context, id int64) (workplan.Programme, error) {
	p, err := scanProgramme(ws.s.reader.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM work_programmes WHERE id = $1`, id))
	if err != nil {
		return p, notFound(err, "programme", id)
	}
	return p, nil
}

func (ws *work) Programmes(ctx context.Context) ([]workplan.Programme, error) {
	return queryAll(ctx, ws.s.reader, "programmes", scanProgramme, `SELECT `+programmeColumns+` FROM work_programmes ORDER BY starts_on DESC, id DESC`)
}

func txTasks(ctx context.Context, q querier, programmeID int64) ([]workplan.Task, error) {
	out, err := queryAll(ctx, q, "tasks", scanWorkTask, `SELECT `+workTaskColumns+` FROM work_tasks WHERE programme_id = $1 ORDER BY id`, programmeID)
	return workplan.Order(out), err
}

func (ws *work) Tasks(ctx context.Context, programmeID int64) ([]workplan.Task, error) {
	return txTasks(ctx, ws.s.reader, programmeID)
}

func (ws *work) Task(ctx context.Context, id int64) (workplan.Task, error) {
	t, err := scanWorkTask(ws.s.reader.QueryRowContext(ctx, `SELECT `+workTaskColumns+` FROM work_tasks WHERE id = $1`, id))
	if err != nil {
		return t, notFound(err, "task", id)
	}
	return t, nil
}

func (tx *Tx) insertWorkTask(ctx context.Context, t workplan.Task) (workplan.Task, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO work_tasks (programme_id, parent_id, tpl_key, title, owner_id, start_on, end_on, resources,
		importance, outcome, status, percent, depends_on, position, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		t.ProgrammeID, nullInt(t.ParentID), t.Key, t.Title, nullInt(t.OwnerID), t.Start.UTC(), t.End.UTC(), t.Resources,
		string(t.Importance), t.Outcome, string(t.Status), t.Percent, mustJSON(orEmpty(t.DependsOn)), t.Position,
		t.CreatedAt, t.UpdatedAt).Scan(&id); err != nil {
		return t, fmt.Errorf("insert task: %w", err)
	}
	t.ID = id
	return t, nil
}

func (ws *work) CreateProgramme(ctx context.Context, a authz.Actor, title string, startsOn time.Time, fromTemplate bool) (workplan.Programme, error) {
	var out workplan.Programme
	err := ws.s.InTx(ctx, func(tx *Tx) error {
		p, err := workplan.NewProgramme(a, tx.Now, title, startsOn)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO work_programmes (title, starts_on, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			p.Title, p.StartsOn, nullInt(a.UserID), tx.Now).Scan(&p.ID); err != nil {
			return fmt.Errorf("insert programme: %w", err)
		}
		p.Lock = 1
		out = p
		if fromTemplate {
			ids := map[string]int64{}
			for i, tt := range workplan.Template {
				first, last := tt.Dates(p.StartsOn)
				t := workplan.Task{ProgrammeID: p.ID, ParentID: ids[tt.Parent], Key: tt.Key, Start: first, End: last,
					Importance: tt.Importance, Status: workplan.NotStarted, Position: i, CreatedAt: tx.Now, UpdatedAt: tx.Now}
				for _, d := range tt.DependsOn {
					t.DependsOn = append(t.DependsOn, ids[d])
				}
				if t, err = tx.insertWorkTask(ctx, t); err != nil {
					return err
				}
				if err := tx.clockTask(ctx, t, workplan.Task{}); err != nil {
					return err
				}
				ids[tt.Key] = t.ID
			}
		}
		return tx.Audit(ctx, a, "work.programme_create", "work_programme", strconv.FormatInt(p.ID, 10), nil,
			map[string]any{"title": p.Title, "starts_on": p.StartsOn, "template": fromTemplate})
	})
	return out, err
}

func (ws *work) AddTask(ctx context.Context, a authz.Actor, programmeID int64, in workplan.Input) (workplan.Task, error) {
	var out workplan.Task
	err := ws.s.InTx(ctx, func(tx *Tx) error {
		p, err := scanProgramme(tx.QueryRow(ctx, `SELECT `+programmeColumns+` FROM work_programmes WHERE id = $1`, programmeID))
		if err != nil {
			return notFound(err, "programme", programmeID)
		}
		others, err := txTasks(ctx, tx, programmeID)
		if err != nil {
			return err
		}
		t, err := workplan.NewTask(p, a, tx.Now, in, others)
		if err != nil {
			return err
		}
		if t.OwnerID != 0 && !tx.activeUser(ctx, t.OwnerID) {
			return fault.Field("owner_id", "user %d does not exist or is disabled", t.OwnerID)
		}
		t.Position = len(others)
		if out, err = tx.insertWorkTask(ctx, t); err != nil {
			return err
		}
		if err := tx.clockTask(ctx, out, workplan.Task{}); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "work.task_create", "work_task", strconv.FormatInt(out.ID, 10), nil, auditTask(out))
	})
	return out, err
}

// auditTask is the audit trail's view of a task.
func auditTask(t workplan.Task) map[string]any {
	return map[string]any{"programme_id": t.ProgrammeID, "parent_id": t.ParentID, "key": t.Key, "title": t.Title,
		"owner_id": t.OwnerID, "start": t.Start, "end": t.End, "importance": t.Importance, "status": t.Status,
		"percent": t.Percent, "depends_on": t.DependsOn, "lock": t.Lock}
}

func (ws *work) SaveTask(ctx context.Context, a authz.Actor, id, lock int64, in workplan.Input) (workplan.Task, error) {
	var out workplan.Task
	err := ws.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanWorkTask(tx.QueryRow(ctx, `SELECT `+workTaskColumns+` FROM work_tasks WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "task", id)
		}
		if lock != 0 && lock != before.Lock {
			return fault.New(fault.Conflict, "task %d was changed by someone else: reload and try again", id)
		}
		others, err := txTasks(ctx, tx, before.ProgrammeID)
		if err != nil {
			return err
		}
		t, err := workplan.Edit(before, a, tx.Now, in, others)
		if err != nil {
			return err
		}
		if t.OwnerID != 0 && !tx.activeUser(ctx, t.OwnerID) {
			return fault.Field("owner_id", "user %d does not exist or is disabled", t.OwnerID)
		}
		set, args := setClause(workTaskCols(t)...)
		args = append(args, id, before.Lock)
		res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE work_tasks SET %s, lock_version = lock_version + 1 WHERE id = $%d AND lock_version = $%d`,
			set, len(args)-1, len(args)), args...)
		if err != nil {
			return fmt.Errorf("save task: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "task %d was changed by someone else: reload and try again", id)
		}
		if out, err = scanWorkTask(tx.QueryRow(ctx, `SELECT `+workTaskColumns+` FROM work_tasks WHERE id = $1`, id)); err != nil {
			return fmt.Errorf("read task: %w", err)
		}
		if err := tx.clockTask(ctx, out, before); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "work.task_save", "work_task", strconv.FormatInt(id, 10), auditTask(before), auditTask(out))
	})
	return out, err
}

// TaskKind is the deadline kind of a task of the work plan.
const TaskKind = "work_task"

// clockTask keeps task t's deadline (its last day's end) in step with it:
// started when it is new or its end or owner moved, met once it is done.
// Its owner is alerted at 80 % and when it falls overdue.
func (tx *Tx) clockTask(ctx context.Context, t, before workplan.Task) error {
	subj := deadline.Subject{Kind: "work_task", ID: t.ID}
	if t.Status == workplan.Done {
		return tx.MeetDeadline(ctx, TaskKind, subj)
	}
	if before.ID != 0 && before.Status != workplan.Done && before.End.Equal(t.End) && before.Start.Equal(t.Start) && before.OwnerID == t.OwnerID {
		return nil
	}
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: TaskKind, Subject: subj, OwnerID: t.OwnerID,
		Link: fmt.Sprintf("/desk/work/%d#task-%d", t.ProgrammeID, t.ID), Args: map[string]string{"ref": fmt.Sprintf("T-%03d", t.ID)},
		StartedAt: t.Start, DueAt: t.Due()})
	return err
}
