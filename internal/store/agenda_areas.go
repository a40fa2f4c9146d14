package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/meeting"
)

// The agenda's sections from the work plan, the risk register and the
// feedback, beside the actions, drills and clocks of agenda.go.

type workAgenda struct{ s *Store }

func (workAgenda) Section() string { return "work" }

// Items are the work plan's tasks not done that are overdue or end within
// two weeks.
func (g workAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	type row struct {
		id, programme int64
		title         string
		end           time.Time
		percent       int
	}
	rows, err := queryAll(ctx, g.s.reader, "work tasks", func(r rowScanner) (row, error) {
		var v row
		return v, r.Scan(&v.id, &v.programme, &v.title, &v.end, &v.percent)
	}, `SELECT id, programme_id, title, end_on, percent FROM work_tasks
		WHERE status <> 'done' AND end_on < $1 ORDER BY end_on, id LIMIT 50`, now.Add(agendaSoon).UTC())
	if err != nil {
		return nil, err
	}
	out := make([]meeting.Item, 0, len(rows))
	for _, v := range rows {
		key := "agenda.work_due"
		if v.end.Before(now) {
			key = "agenda.work_overdue"
		}
		out = append(out, meeting.Item{Key: key, Due: utc(v.end), Link: fmt.Sprintf("/desk/work/%d", v.programme),
			Args: map[string]string{"task": v.title, "percent": strconv.Itoa(v.percent)}})
	}
	return out, nil
}

type riskAgenda struct{ s *Store }

func (riskAgenda) Section() string { return "risks" }

// Items are the open risks whose rating rose since the last meeting and
// those whose review falls due within two weeks. A risk of the default
// register is named by its message key, in the reader's words.
func (g riskAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	type row struct {
		id                 int64
		key, desc          string
		likelihood, impact int
		due                time.Time
		rose               bool
	}
	rows, err := queryAll(ctx, g.s.reader, "risks", func(r rowScanner) (row, error) {
		var v row
		return v, r.Scan(&v.id, &v.key, &v.desc, &v.likelihood, &v.impact, &v.due)
	}, `SELECT id, tpl_key, description, likelihood, impact, review_due FROM risks WHERE status = 'open' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	// A rating rose when the risk's newest rating scores more than the
	// last one before the previous meeting (or its first, if it is new).
	type rating struct {
		risk  int64
		score int
		at    time.Time
	}
	ratings, err := queryAll(ctx, g.s.reader, "risk ratings", func(r rowScanner) (rating, error) {
		var x rating
		var l, i int
		err := r.Scan(&x.risk, &l, &i, &x.at)
		x.score = riskScore(l, i)
		return x, err
	}, `SELECT risk_id, likelihood, impact, at FROM risk_ratings ORDER BY risk_id, at, id`)
	if err != nil {
		return nil, err
	}
	before, latest, changed := map[int64]int{}, map[int64]int{}, map[int64]bool{}
	for _, x := range ratings {
		if _, ok := before[x.risk]; !ok || x.at.Before(since) {
			before[x.risk] = x.score
		}
		if !x.at.Before(since) {
			changed[x.risk] = true
		}
		latest[x.risk] = x.score
	}
	for i := range rows {
		id := rows[i].id
		rows[i].rose = changed[id] && latest[id] > before[id]
	}
	var out []meeting.Item
	for _, v := range rows {
		args := map[string]string{"risk": v.desc, "score": strconv.Itoa(riskScore(v.likelihood, v.impact))}
		if v.desc == "" && v.key != "" {
			delete(args, "risk")
			args["riskKey"] = "risk.default." + v.key + ".description"
		}
		link := fmt.Sprintf("/desk/risks/%d", v.id)
		if v.rose {
			out = append(out, meeting.Item{Key: "agenda.risk_rose", Link: link, Args: args})
		}
		if v.due.Before(now.Add(agendaSoon)) {
			out = append(out, meeting.Item{Key: "agenda.risk_review_due", Link: link, Due: utc(v.due), Args: args})
		}
	}
	return out, nil
}

// riskScore is the register's score, the impact alone while the
// likelihood is unset.
func riskScore(likelihood, impact int) int {
	if likelihood == 0 {
		return impact
	}
	return likelihood * impact
}

type feedbackAgenda struct{ s *Store }

func (feedbackAgenda) Section() string { return "feedback" }

// Items are the backlog in one line (open questions, how many past their
// reply-by time) and the overdue ones, oldest first.
func (g feedbackAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	var open, overdue int
	if err := g.s.reader.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN reply_due < $1 THEN 1 ELSE 0 END), 0)
		FROM feedback WHERE state IN ('new', 'triaged')`, now.UTC()).Scan(&open, &overdue); err != nil {
		return nil, fmt.Errorf("feedback backlog: %w", err)
	}
	if open == 0 {
		return nil, nil
	}
	out := []meeting.Item{{Key: "agenda.feedback_backlog", Link: "/desk/feedback",
		Args: map[string]string{"open": strconv.Itoa(open), "overdue": strconv.Itoa(overdue)}}}
	rows, err := queryAll(ctx, g.s.reader, "overdue feedback", func(r rowScanner) (meeting.Item, error) {
		var id int64
		var ref string
		var due time.Time
		err := r.Scan(&id, &ref, &due)
		return meeting.Item{Key: "agenda.feedback_overdue", Link: fmt.Sprintf("/desk/feedback/%d", id), Due: utc(due),
			Args: map[string]string{"ref": ref}}, err
	}, `SELECT id, ref, reply_due FROM feedback WHERE state IN ('new', 'triaged') AND reply_due < $1 ORDER BY reply_due, id LIMIT 10`, now.UTC())
	if err != nil {
		return nil, err
	}
	return append(out, rows...), nil
}
