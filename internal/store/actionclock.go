package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/report"
)

// The clocks of the one action list and of the monthly report are
// deadlines (internal/deadline): they alert at 80 % and at expiry, and
// the KPIs read their on-time shares.

func actionSubject(id int64) deadline.Subject { return deadline.Subject{Kind: "action", ID: id} }

// startActionClock starts the clock that alerts an action's owner when it
// falls due.
func (tx *Tx) startActionClock(ctx context.Context, x action.Action) error {
	ref := x.Text
	if utf8.RuneCountInString(ref) > 80 {
		ref = string([]rune(ref)[:79]) + "…"
	}
	link := x.Link
	if link == "" {
		link = "/desk/actions?owner=" + strconv.FormatInt(x.OwnerID, 10)
	}
	start := tx.Now
	if !x.Due.After(start) {
		start = x.Due.Add(-time.Minute)
	}
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: action.DeadlineKind, Subject: actionSubject(x.ID), CrisisID: x.CrisisID,
		OwnerID: x.OwnerID, Link: link, Args: map[string]string{"ref": ref}, StartedAt: start, DueAt: x.Due})
	return err
}

// meetActionClock stops an action's clock once it is done.
func (tx *Tx) meetActionClock(ctx context.Context, id int64) error {
	return tx.MeetDeadline(ctx, action.DeadlineKind, actionSubject(id))
}

func reportSubject(id int64) deadline.Subject {
	return deadline.Subject{Kind: "monthly_report", ID: id}
}

// startReportClock starts the clock for submitting report id by due; the
// people who edit reports are alerted.
func (tx *Tx) startReportClock(ctx context.Context, id int64, p report.Period, due time.Time) error {
	var watchers []int64
	for _, role := range authz.Roles {
		if !authz.Can(role, authz.EditReports) {
			continue
		}
		rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id`, string(role))
		if err != nil {
			return fmt.Errorf("report watchers: %w", err)
		}
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return fmt.Errorf("report watchers: %w", err)
			}
			watchers = append(watchers, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("report watchers: %w", err)
		}
	}
	start := tx.Now
	if !due.After(start) {
		start = due.Add(-time.Minute)
	}
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: report.DeadlineKind, Subject: reportSubject(id), Watchers: watchers,
		Link: "/desk/reports/" + strconv.FormatInt(id, 10), Args: map[string]string{"ref": p.String()}, StartedAt: start, DueAt: due})
	return err
}

// meetReportClock stops report id's clock once it is submitted.
func (tx *Tx) meetReportClock(ctx context.Context, id int64) error {
	return tx.MeetDeadline(ctx, report.DeadlineKind, reportSubject(id))
}
