package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/meeting"
)

// meetings implements meeting.Service; its agenda is built from the
// store's own sections and those the other areas give.
type meetings struct {
	s       *Store
	sources []meeting.AgendaSource
}

// Meetings returns the weekly meetings; extra are the agenda sections of
// areas outside the store (the risk register, the work plan, feedback).
func (s *Store) Meetings(extra ...meeting.AgendaSource) meeting.Service {
	return &meetings{s: s, sources: append(s.AgendaSources(), extra...)}
}

const seriesColumns = `id, title, location, first_start, duration_min, interval_wks, invitees, organiser_id, created_at`

func scanSeries(r rowScanner) (meeting.Series, error) {
	var x meeting.Series
	var mins int64
	var invitees string
	var org sql.NullInt64
	err := r.Scan(&x.ID, &x.Title, &x.Location, &x.FirstStart, &mins, &x.IntervalWks, &invitees, &org, &x.CreatedAt)
	if err != nil {
		return x, err
	}
	x.Duration, x.OrganiserID = time.Duration(mins)*time.Minute, org.Int64
	x.FirstStart, x.CreatedAt = utc(x.FirstStart), utc(x.CreatedAt)
	return x, jsonUnmarshal(invitees, &x.Invitees)
}

const meetingColumns = `id, series_id, starts_at, agenda, attendees, decisions, notes, state, author_id, approved_by, approved_at, sent_at,
	updated_at, lock_version`

func scanMeeting(r rowScanner) (meeting.Meeting, error) {
	var m meeting.Meeting
	var agenda, attendees, decisions, state string
	var author, approver sql.NullInt64
	var approvedAt, sentAt sql.NullTime
	err := r.Scan(&m.ID, &m.SeriesID, &m.StartsAt, &agenda, &attendees, &decisions, &m.Notes, &state, &author, &approver, &approvedAt,
		&sentAt, &m.UpdatedAt, &m.Lock)
	if err != nil {
		return m, err
	}
	m.State, m.AuthorID, m.ApprovedBy = meeting.State(state), author.Int64, approver.Int64
	m.StartsAt, m.UpdatedAt, m.ApprovedAt, m.SentAt = utc(m.StartsAt), utc(m.UpdatedAt), timeOf(approvedAt), timeOf(sentAt)
	if err := jsonUnmarshal(agenda, &m.Agenda); err != nil {
		return m, fmt.Errorf("meeting %d agenda: %w", m.ID, err)
	}
	if err := jsonUnmarshal(attendees, &m.Attendees); err != nil {
		return m, fmt.Errorf("meeting %d attendees: %w", m.ID, err)
	}
	return m, jsonUnmarshal(decisions, &m.Decisions)
}

func (ms *meetings) ListSeries(ctx context.Context) ([]meeting.Series, error) {
	return queryAll(ctx, ms.s.reader, "meeting series", scanSeries, `SELECT `+seriesColumns+` FROM meeting_series ORDER BY id`)
}

func (ms *meetings) Series(ctx context.Context, id int64) (meeting.Series, error) {
	x, err := scanSeries(ms.s.reader.QueryRowContext(ctx, `SELECT `+seriesColumns+` FROM meeting_series WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "meeting series", id)
	}
	return x, nil
}

func (ms *meetings) Meetings(ctx context.Context, seriesID int64) ([]meeting.Meeting, error) {
	return queryAll(ctx, ms.s.reader, "meetings", scanMeeting, `SELECT `+meetingColumns+` FROM meetings WHERE series_id = $1 ORDER BY starts_at DESC`, seriesID)
}

func (ms *meetings) Get(ctx context.Context, id int64) (meeting.Meeting, error) {
	m, err := scanMeeting(ms.s.reader.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if err != nil {
		return m, notFound(err, "meeting", id)
	}
	return m, nil
}

func txMeeting(ctx context.Context, tx *Tx, id int64) (meeting.Meeting, error) {
	m, err := scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, id))
	if err != nil {
		return m, notFound(err, "meeting", id)
	}
	return m, nil
}

// checkUsers refuses ids that are not enabled users, naming field.
func checkUsers(ctx context.Context, tx *Tx, field string, ids []int64) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, id).Scan(&n); err != nil {
			return fmt.Errorf("check users: %w", err)
		}
		if n == 0 {
			return fault.Field(field, "user %d does not exist or is disabled", id)
		}
	}
	return nil
}

func (ms *meetings) CreateSeries(ctx context.Context, a authz.Actor, in meeting.Series) (meeting.Series, meeting.Meeting, error) {
	var ser meeting.Series
	var first meeting.Meeting
	err := ms.s.InTx(ctx, func(tx *Tx) error {
		x, err := meeting.CheckSeries(in, a, tx.Now)
		if err != nil {
			return err
		}
		if err := checkUsers(ctx, tx, "invitees", x.Invitees); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO meeting_series (title, location, first_start, duration_min, interval_wks, invitees, organiser_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, x.Title, x.Location, x.FirstStart.UTC(), int64(x.Duration/time.Minute),
			x.IntervalWks, mustJSON(x.Invitees), nullInt(a.UserID), tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("add meeting series: %w", err)
		}
		x.ID = id
		ser = x
		if first, err = tx.addMeeting(ctx, id, x.FirstStart); err != nil {
			return err
		}
		for _, u := range x.Invitees {
			if _, err := tx.Enqueue(ctx, meeting.MailArgs{MeetingID: first.ID, UserID: u, What: "invitation"}, &river.InsertOpts{Priority: 2}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "meeting.series_create", "meeting_series", strconv.FormatInt(id, 10), nil, x)
	})
	return ser, first, err
}

// addMeeting schedules one meeting of series id at start.
func (tx *Tx) addMeeting(ctx context.Context, seriesID int64, start time.Time) (meeting.Meeting, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO meetings (series_id, starts_at, agenda, state, updated_at) VALUES ($1, $2, $3, 'scheduled', $4)
		ON CONFLICT (series_id, starts_at) DO UPDATE SET updated_at = meetings.updated_at RETURNING id`,
		seriesID, start.UTC(), mustJSON(meeting.Agenda{Sections: []meeting.Section{}}), tx.Now).Scan(&id); err != nil {
		return meeting.Meeting{}, fmt.Errorf("add meeting: %w", err)
	}
	return txMeeting(ctx, tx, id)
}

// since is when the last approved meeting of the series before m began,
// or when the series was made.
func (tx *Tx) agendaSince(ctx context.Context, m meeting.Meeting) (time.Time, error) {
	var last sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT MAX(starts_at) FROM meetings WHERE series_id = $1 AND starts_at < $2 AND state = 'approved'`,
		m.SeriesID, m.StartsAt).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("last meeting: %w", err)
	}
	if last.Valid {
		return utc(last.Time), nil
	}
	var created time.Time
	if err := tx.QueryRow(ctx, `SELECT created_at FROM meeting_series WHERE id = $1`, m.SeriesID).Scan(&created); err != nil {
		return time.Time{}, fmt.Errorf("meeting series: %w", err)
	}
	return utc(created), nil
}

func (ms *meetings) GenerateAgenda(ctx context.Context, a authz.Actor, id int64) (meeting.Meeting, error) {
	if err := authz.Require(a, authz.RunMeetings); err != nil {
		return meeting.Meeting{}, err
	}
	m, err := ms.Get(ctx, id)
	if err != nil {
		return m, err
	}
	if m.State == meeting.Approved {
		return m, fault.New(fault.Conflict, "the minutes are approved: the agenda stays as it was")
	}
	// The sources read outside the write transaction (they may be other
	// areas' services); the agenda is then saved if nobody changed the
	// meeting meanwhile.
	since, err := ms.since(ctx, m)
	if err != nil {
		return m, err
	}
	now := ms.s.clock.Now()
	ag, err := meeting.Generate(ctx, ms.sources, since, now)
	if err != nil {
		return m, err
	}
	var out meeting.Meeting
	err = ms.s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE meetings SET agenda = $1, updated_at = $2, lock_version = lock_version + 1 WHERE id = $3 AND lock_version = $4`,
			mustJSON(ag), tx.Now, id, m.Lock)
		if err != nil {
			return fmt.Errorf("save agenda: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "someone changed the meeting meanwhile: try again")
		}
		if out, err = txMeeting(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "meeting.agenda", "meeting", strconv.FormatInt(id, 10), nil, map[string]any{"since": since})
	})
	return out, err
}

func (ms *meetings) since(ctx context.Context, m meeting.Meeting) (time.Time, error) {
	var since time.Time
	err := ms.s.InTx(ctx, func(tx *Tx) error {
		var err error
		since, err = tx.agendaSince(ctx, m)
		return err
	})
	return since, err
}

func (ms *meetings) SaveMinutes(ctx context.Context, a authz.Actor, id int64, in meeting.Minutes) (meeting.Meeting, error) {
	var out meeting.Meeting
	err := ms.s.InTx(ctx, func(tx *Tx) error {
		before, err := txMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Lock != 0 && in.Lock != before.Lock {
			return fault.New(fault.Conflict, "someone else saved the minutes meanwhile: reload and try again")
		}
		m, err := meeting.KeepMinutes(before, a, tx.Now, in)
		if err != nil {
			return err
		}
		if err := checkUsers(ctx, tx, "attendees", m.Attendees); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET attendees = $1, decisions = $2, notes = $3, state = $4, author_id = $5, updated_at = $6,
			lock_version = lock_version + 1 WHERE id = $7`, mustJSON(m.Attendees), mustJSON(m.Decisions), m.Notes, string(m.State),
			nullInt(m.AuthorID), tx.Now, id); err != nil {
			return fmt.Errorf("save minutes: %w", err)
		}
		if out, err = txMeeting(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "meeting.minutes", "meeting", strconv.FormatInt(id, 10), minutesAudit(before), minutesAudit(out))
	})
	return out, err
}

func minutesAudit(m meeting.Meeting) map[string]any {
	return map[string]any{"attendees": m.Attendees, "decisions": m.Decisions, "notes": m.Notes, "state": m.State}
}

func (ms *meetings) AddAction(ctx context.Context, a authz.Actor, id int64, in action.Action) (action.Action, error) {
	var out action.Action
	err := ms.s.InTx(ctx, func(tx *Tx) error {
		m, err := txMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		x, err := meeting.CheckAction(m, a, in)
		if err != nil {
			return err
		}
		out, err = tx.AddAction(ctx, a, x)
		return err
	})
	return out, err
}

func (ms *meetings) Approve(ctx context.Context, a authz.Actor, id int64) (meeting.Meeting, error) {
	var out meeting.Meeting
	err := ms.s.InTx(ctx, func(tx *Tx) error {
		before, err := txMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		m, err := meeting.Approve(before, a, tx.Now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET state = 'approved', approved_by = $1, approved_at = $2, sent_at = $2, updated_at = $2,
			lock_version = lock_version + 1 WHERE id = $3`, nullInt(a.UserID), tx.Now, id); err != nil {
			return fmt.Errorf("approve minutes: %w", err)
		}
		for _, u := range m.Attendees {
			if _, err := tx.Enqueue(ctx, meeting.MailArgs{MeetingID: id, UserID: u, What: "minutes"}, &river.InsertOpts{Priority: 2}); err != nil {
				return err
			}
		}
		ser, err := scanSeries(tx.QueryRow(ctx, `SELECT `+seriesColumns+` FROM meeting_series WHERE id = $1`, m.SeriesID))
		if err != nil {
			return fmt.Errorf("meeting series: %w", err)
		}
		if _, err := tx.addMeeting(ctx, ser.ID, ser.Next(maxTime(m.StartsAt, tx.Now))); err != nil {
			return err
		}
		if out, err = txMeeting(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "meeting.approve", "meeting", strconv.FormatInt(id, 10), minutesAudit(before), minutesAudit(out))
	})
	return out, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// MeetingMail is what one meeting e-mail needs.
type MeetingMail struct {
	Series  meeting.Series
	Meeting meeting.Meeting
	User    account.User
	Actions []action.Action
	Names   map[int64]string
}

// MeetingMail reads a meeting, its series, the person written to, the
// meeting's actions and the names of everyone in it, for its e-mail job.
func (s *Store) MeetingMail(ctx context.Context, meetingID, userID int64) (MeetingMail, error) {
	var mm MeetingMail
	ms := &meetings{s: s}
	var err error
	if mm.Meeting, err = ms.Get(ctx, meetingID); err != nil {
		return mm, err
	}
	if mm.Series, err = ms.Series(ctx, mm.Meeting.SeriesID); err != nil {
		return mm, err
	}
	if mm.User, err = s.Accounts().User(ctx, userID); err != nil {
		return mm, err
	}
	if mm.Actions, err = s.Actions().List(ctx, action.Filter{Source: action.FromMeeting, SourceID: meetingID}); err != nil {
		return mm, err
	}
	mm.Names = map[int64]string{}
	ids := append(append([]int64{}, mm.Meeting.Attendees...), mm.Series.Invitees...)
	for _, x := range mm.Actions {
		ids = append(ids, x.OwnerID)
	}
	for _, id := range ids {
		if _, ok := mm.Names[id]; ok {
			continue
		}
		u, err := s.Accounts().User(ctx, id)
		if err != nil {
			continue // a person since removed keeps no name in the mail
		}
		mm.Names[id] = u.Name
		if u.DisplayName != "" {
			mm.Names[id] = u.DisplayName
		}
	}
	return mm, nil
}

// BackdateMeetingSeries moves a series and its meetings back by d, as if
// set up earlier: the demo loader's way to hold "last week's" meeting,
// since a new series may only start in the future.
func (s *Store) BackdateMeetingSeries(ctx context.Context, seriesID int64, d time.Duration) error {
	return s.InTx(ctx, func(tx *Tx) error {
		ser, err := scanSeries(tx.QueryRow(ctx, `SELECT `+seriesColumns+` FROM meeting_series WHERE id = $1`, seriesID))
		if err != nil {
			return notFound(err, "meeting series", seriesID)
		}
		if _, err := tx.Exec(ctx, `UPDATE meeting_series SET first_start = $1, created_at = $2 WHERE id = $3`,
			ser.FirstStart.Add(-d), ser.CreatedAt.Add(-d), seriesID); err != nil {
			return fmt.Errorf("backdate series: %w", err)
		}
		ms, err := queryAll(ctx, tx, "meetings", scanMeeting, `SELECT `+meetingColumns+` FROM meetings WHERE series_id = $1`, seriesID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if _, err := tx.Exec(ctx, `UPDATE meetings SET starts_at = $1 WHERE id = $2`, m.StartsAt.Add(-d), m.ID); err != nil {
				return fmt.Errorf("backdate meeting: %w", err)
			}
		}
		return nil
	})
}
