package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/meeting"
)

// The agenda sections crisisdesk knows today: open actions, upcoming
// drills and the crisis clocks missed. The risk register, the work plan
// and feedback add theirs through meeting.AgendaSource (see Meetings).

// agendaSoon is how far ahead an agenda looks for what falls due.
const agendaSoon = 14 * 24 * time.Hour

// AgendaSources are the sections the store answers itself.
func (s *Store) AgendaSources() []meeting.AgendaSource {
	return []meeting.AgendaSource{workAgenda{s}, riskAgenda{s}, actionAgenda{s}, feedbackAgenda{s}, drillAgenda{s}, clockAgenda{s}}
}

type actionAgenda struct{ s *Store }

func (actionAgenda) Section() string { return "actions" }

// Items are the actions overdue, due within two weeks, new since the last
// meeting, or done and awaiting verification.
func (g actionAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	list, err := g.s.Actions().List(ctx, action.Filter{OpenOnly: true})
	if err != nil {
		return nil, err
	}
	var out []meeting.Item
	for _, x := range list {
		key := ""
		switch {
		case x.Overdue(now):
			key = "agenda.action_overdue"
		case x.State == action.Done:
			key = "agenda.action_to_verify"
		case x.Due.Before(now.Add(agendaSoon)):
			key = "agenda.action_due"
		case !x.CreatedAt.Before(since):
			key = "agenda.action_new"
		default:
			continue
		}
		out = append(out, meeting.Item{Key: key, Link: x.Link, Due: x.Due,
			Args: map[string]string{"text": x.Text, "source": string(x.Source.Kind), "owner": strconv.FormatInt(x.OwnerID, 10)}})
	}
	return out, nil
}

type drillAgenda struct{ s *Store }

func (drillAgenda) Section() string { return "drills" }

// Items are the drills that start within two weeks and those that ended
// since the last meeting.
func (g drillAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	type row struct {
		id           int64
		title, state string
		starts, ends time.Time
	}
	rows, err := queryAll(ctx, g.s.reader, "drills", func(r rowScanner) (row, error) {
		var v row
		err := r.Scan(&v.id, &v.title, &v.state, &v.starts, &v.ends)
		return v, err
	}, `SELECT id, title, state, starts_at, ends_at FROM drills
		WHERE (state IN ('planned', 'ready') AND starts_at >= $1 AND starts_at < $2) OR (ends_at >= $3 AND ends_at < $1 AND state <> 'planned')
		ORDER BY starts_at, id`, now.UTC(), now.Add(agendaSoon).UTC(), since.UTC())
	if err != nil {
		return nil, err
	}
	var out []meeting.Item
	for _, v := range rows {
		link := "/desk/drills/" + strconv.FormatInt(v.id, 10)
		if v.state == "planned" || v.state == "ready" {
			out = append(out, meeting.Item{Key: "agenda.drill_upcoming", Link: link, Due: utc(v.starts),
				Args: map[string]string{"title": v.title, "state": v.state}})
		} else {
			out = append(out, meeting.Item{Key: "agenda.drill_ended", Link: link + "/report", Due: utc(v.ends),
				Args: map[string]string{"title": v.title, "state": v.state}})
		}
	}
	return out, nil
}

type clockAgenda struct{ s *Store }

func (clockAgenda) Section() string { return "clocks" }

// Items are the crisis clocks that fell due since the last meeting and
// were missed: not met, or met late.
func (g clockAgenda) Items(ctx context.Context, since, now time.Time) ([]meeting.Item, error) {
	type row struct {
		crisisID    int64
		name, title string
		due         time.Time
		met         sql.NullTime
	}
	rows, err := queryAll(ctx, g.s.reader, "clocks", func(r rowScanner) (row, error) {
		var v row
		err := r.Scan(&v.crisisID, &v.name, &v.title, &v.due, &v.met)
		return v, err
	}, `SELECT k.crisis_id, k.name, c.title, k.due_at, k.met_at FROM crisis_clocks k JOIN crises c ON c.id = k.crisis_id
		WHERE k.cancelled_at IS NULL AND k.due_at >= $1 AND k.due_at < $2 AND (k.met_at IS NULL OR k.met_at > k.due_at)
		ORDER BY k.due_at, k.id`, since.UTC(), now.UTC())
	if err != nil {
		return nil, err
	}
	var out []meeting.Item
	for _, v := range rows {
		out = append(out, meeting.Item{Key: "agenda.clock_missed", Link: "/desk/crises/" + strconv.FormatInt(v.crisisID, 10), Due: utc(v.due),
			Args: map[string]string{"crisis": v.title, "clock": v.name}})
	}
	return out, nil
}
