package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
)

// surveys implements survey.Service.
type surveys struct{ s *Store }

var _ survey.Service = (*surveys)(nil)

// Surveys returns the survey service.
func (s *Store) Surveys() survey.Service { return &surveys{s} }

const surveyColumns = `id, crisis_id, title, questions, state, send_by, sent_at, closed_at, responses, created_at, updated_at,
	lock_version, (SELECT COUNT(*) FROM survey_invitations i WHERE i.survey_id = surveys.id AND i.sent_at IS NOT NULL)`

func scanSurvey(r rowScanner) (survey.Survey, error) {
	var s survey.Survey
	var title, questions, state string
	var crisisID sql.NullInt64
	var sendBy, sent, closed sql.NullTime
	if err := r.Scan(&s.ID, &crisisID, &title, &questions, &state, &sendBy, &sent, &closed, &s.Responses, &s.CreatedAt,
		&s.UpdatedAt, &s.Lock, &s.Invited); err != nil {
		return s, err
	}
	s.CrisisID, s.State = crisisID.Int64, survey.State(state)
	s.SendBy, s.SentAt, s.ClosedAt = timeOf(sendBy), timeOf(sent), timeOf(closed)
	s.CreatedAt, s.UpdatedAt = utc(s.CreatedAt), utc(s.UpdatedAt)
	if err := jsonUnmarshal(title, &s.Title); err != nil {
		return s, fmt.Errorf("survey %d title: %w", s.ID, err)
	}
	if err := jsonUnmarshal(questions, &s.Questions); err != nil {
		return s, fmt.Errorf("survey %d questions: %w", s.ID, err)
	}
	return s, nil
}

func auditSurvey(s survey.Survey) map[string]any {
	return map[string]any{"crisis_id": s.CrisisID, "title": s.Title, "questions": s.Questions, "state": s.State,
		"send_by": s.SendBy, "lock": s.Lock}
}

func txSurvey(ctx context.Context, tx *Tx, id int64) (survey.Survey, error) {
	s, err := scanSurvey(tx.QueryRow(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE id = $1`, id))
	if err != nil {
		return s, notFound(err, "survey", id)
	}
	return s, nil
}

func (ss *surveys) Get(ctx context.Context, id int64) (survey.Survey, error) {
	s, err := scanSurvey(ss.s.reader.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE id = $1`, id))
	if err != nil {
		return s, notFound(err, "survey", id)
	}
	return s, nil
}

func (ss *surveys) ByCrisis(ctx context.Context, crisisID int64) (survey.Survey, error) {
	s, err := scanSurvey(ss.s.reader.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys WHERE crisis_id = $1`, crisisID))
	if err != nil {
		return s, notFound(err, "survey of crisis", crisisID)
	}
	return s, nil
}

func (ss *surveys) List(ctx context.Context, f survey.Filter) ([]survey.Survey, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where, args := []string{"1 = 1"}, []any{}
	if f.CrisisID != 0 {
		args = append(args, f.CrisisID)
		where = append(where, "crisis_id = $"+strconv.Itoa(len(args)))
	}
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, "state = $"+strconv.Itoa(len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := ss.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM surveys WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count surveys: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, ss.s.reader, "surveys", scanSurvey, fmt.Sprintf(`SELECT `+surveyColumns+
		` FROM surveys WHERE %s ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

// insertSurvey stores a new draft.
func (tx *Tx) insertSurvey(ctx context.Context, crisisID int64, s survey.Survey) (survey.Survey, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO surveys (crisis_id, title, questions, state, send_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, nullInt(crisisID), mustJSON(s.Title), mustJSON(orEmpty(s.Questions)),
		string(survey.Draft), nullTime(s.SendBy), tx.Now).Scan(&id)
	if isUnique(err) {
		return s, fault.Field("crisis_id", "crisis %d already has a survey", crisisID)
	}
	if err != nil {
		return s, fmt.Errorf("insert survey: %w", err)
	}
	return txSurvey(ctx, tx, id)
}

// scheduleSurvey drafts the default questionnaire for a crisis being
// closed, due out within a month: called in the closing transaction. A
// drill's crisis gets none (its notices never reached the public), nor a
// crisis that already has one.
func (tx *Tx) scheduleSurvey(ctx context.Context, c crisis.Crisis) error {
	if c.Exercise {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM surveys WHERE crisis_id = $1`, c.ID).Scan(&n); err != nil {
		return fmt.Errorf("look for the crisis's survey: %w", err)
	}
	if n > 0 {
		return nil
	}
	s := survey.Default(c.Title)
	s.SendBy = survey.SendBy(tx.Now)
	out, err := tx.insertSurvey(ctx, c.ID, s)
	if err != nil {
		return err
	}
	return tx.startSurveyClock(ctx, out, c)
}

// SurveyDeadline is the kind of the clock on a survey: out within a month
// of its crisis closing.
const SurveyDeadline = "survey_send"

func (ss *surveys) SendClock(ctx context.Context, id int64) (deadline.Deadline, error) {
	return ss.s.DeadlineOf(ctx, SurveyDeadline, deadline.Subject{Kind: "survey", ID: id})
}

// startSurveyClock starts the month within which survey s of crisis c
// must go out, owned by whoever declared the crisis.
func (tx *Tx) startSurveyClock(ctx context.Context, s survey.Survey, c crisis.Crisis) error {
	start := c.ClosedAt
	if start.IsZero() {
		start = tx.Now
	}
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: SurveyDeadline, Subject: deadline.Subject{Kind: "survey", ID: s.ID},
		CrisisID: c.ID, OwnerID: c.DeclaredBy, Link: "/desk/surveys/" + strconv.FormatInt(s.ID, 10),
		Args: map[string]string{"ref": c.Title}, StartedAt: start, DueAt: survey.SendBy(start)})
	return err
}

func (ss *surveys) Create(ctx context.Context, a authz.Actor, crisisID int64, s survey.Survey) (survey.Survey, error) {
	if err := authz.Require(a, authz.EditSurvey); err != nil {
		return s, err
	}
	s.Normalize()
	if err := s.Validate(i18n.Languages); err != nil {
		return s, err
	}
	var out survey.Survey
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		s.SendBy = time.Time{}
		if crisisID != 0 {
			c, err := txCrisis(ctx, tx, crisisID)
			if err != nil {
				return fault.Field("crisis_id", "crisis %d does not exist", crisisID)
			}
			if !c.ClosedAt.IsZero() {
				s.SendBy = survey.SendBy(c.ClosedAt)
			}
			if out, err = tx.insertSurvey(ctx, crisisID, s); err != nil {
				return err
			}
			if !c.ClosedAt.IsZero() {
				if err := tx.startSurveyClock(ctx, out, c); err != nil {
					return err
				}
			}
		} else {
			var err error
			if out, err = tx.insertSurvey(ctx, crisisID, s); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "survey.create", "survey", strconv.FormatInt(out.ID, 10), nil, auditSurvey(out))
	})
	return out, err
}

func (ss *surveys) Save(ctx context.Context, a authz.Actor, id, lock int64, s survey.Survey) (survey.Survey, error) {
	if err := authz.Require(a, authz.EditSurvey); err != nil {
		return s, err
	}
	s.Normalize()
	if err := s.Validate(i18n.Languages); err != nil {
		return s, err
	}
	var out survey.Survey
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		before, err := txSurvey(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.State != survey.Draft {
			return fault.New(fault.Conflict, "survey %d is %s: only a draft is changed", id, before.State)
		}
		res, err := tx.Exec(ctx, `UPDATE surveys SET title = $1, questions = $2, updated_at = $3, lock_version = lock_version + 1
			WHERE id = $4 AND lock_version = $5`, mustJSON(s.Title), mustJSON(s.Questions), tx.Now, id, lock)
		if err != nil {
			return fmt.Errorf("save survey %d: %w", id, err)
		}
		if affected(res) != 1 {
			return fault.New(fault.Conflict, "someone else changed this survey meanwhile: reload and try again")
		}
		if out, err = txSurvey(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "survey.save", "survey", strconv.FormatInt(id, 10), auditSurvey(before), auditSurvey(out))
	})
	return out, err
}

func (ss *surveys) Send(ctx context.Context, a authz.Actor, id int64) (survey.Survey, int, error) {
	if err := authz.Require(a, authz.EditSurvey); err != nil {
		return survey.Survey{}, 0, err
	}
	var out survey.Survey
	invited := 0
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		before, err := txSurvey(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := before.CanSend(); err != nil {
			return err
		}
		// Once per person: the crisis's subscribers are those its public
		// notices were delivered to; the pair (survey, subscriber) is unique.
		q := `INSERT INTO survey_invitations (survey_id, subscriber_id)
			SELECT DISTINCT CAST($1 AS BIGINT), s.id FROM subscribers s WHERE s.status = $2 AND s.channel IN ('email', 'sms')
			AND NOT EXISTS (SELECT 1 FROM survey_optouts o WHERE o.subscriber_id = s.id)`
		args := []any{id, string(subscriber.Active)}
		if before.CrisisID != 0 {
			q += ` AND EXISTS (SELECT 1 FROM deliveries d JOIN notices n ON n.id = d.notice_id
				WHERE d.recipient_kind = $3 AND d.recipient_id = s.id AND n.crisis_id = $4)`
			args = append(args, delivery.ToSubscriber, before.CrisisID)
		}
		res, err := tx.Exec(ctx, q+` ON CONFLICT DO NOTHING`, args...)
		if err != nil {
			return fmt.Errorf("invite subscribers: %w", err)
		}
		invited = affected(res)
		if _, err := tx.Exec(ctx, `UPDATE surveys SET state = $1, sent_at = $2, updated_at = $2, lock_version = lock_version + 1
			WHERE id = $3`, string(survey.Sent), tx.Now, id); err != nil {
			return fmt.Errorf("send survey %d: %w", id, err)
		}
		if _, err := tx.Enqueue(ctx, survey.SendArgs{SurveyID: id}, nil); err != nil {
			return err
		}
		if err := tx.MeetDeadline(ctx, SurveyDeadline, deadline.Subject{Kind: "survey", ID: id}); err != nil {
			return err
		}
		if out, err = txSurvey(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "survey.send", "survey", strconv.FormatInt(id, 10), auditSurvey(before),
			map[string]any{"state": out.State, "invited": invited})
	})
	return out, invited, err
}

func (ss *surveys) Close(ctx context.Context, a authz.Actor, id int64) (survey.Survey, error) {
	if err := authz.Require(a, authz.EditSurvey); err != nil {
		return survey.Survey{}, err
	}
	var out survey.Survey
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		before, err := txSurvey(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.State != survey.Sent {
			return fault.New(fault.Conflict, "survey %d is %s: only a sent survey is closed", id, before.State)
		}
		if _, err := tx.Exec(ctx, `UPDATE surveys SET state = $1, closed_at = $2, updated_at = $2, lock_version = lock_version + 1
			WHERE id = $3`, string(survey.Closed), tx.Now, id); err != nil {
			return fmt.Errorf("close survey %d: %w", id, err)
		}
		if out, err = txSurvey(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "survey.close", "survey", strconv.FormatInt(id, 10), auditSurvey(before), auditSurvey(out))
	})
	return out, err
}

// tokenHash is how an invitation's token is kept: its SHA-256.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte("invite:" + token))
	return hex.EncodeToString(h[:])
}

// spentMark is how an answered token is kept: a different hash, so that
// the spent list cannot be joined to the invitations.
func spentMark(token string) string {
	h := sha256.Sum256([]byte("spent:" + token))
	return hex.EncodeToString(h[:])
}

// invitation finds the survey of an invitation token and whether it is
// spent. An unknown token is not found.
func invitation(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string) (surveyID int64, subscriberID int64, spent bool, err error) {
	if token == "" || len(token) > 200 {
		return 0, 0, false, fault.New(fault.NotFound, "no such invitation")
	}
	err = q.QueryRowContext(ctx, `SELECT survey_id, subscriber_id, EXISTS (SELECT 1 FROM survey_spent WHERE mark = $2)
		FROM survey_invitations WHERE token_hash = $1`, tokenHash(token), spentMark(token)).Scan(&surveyID, &subscriberID, &spent)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, fault.New(fault.NotFound, "no such invitation")
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("read invitation: %w", err)
	}
	return surveyID, subscriberID, spent, nil
}

// QueryRowContext lets a transaction serve where the reader does (an
// invitation looked up, a team member read).
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, q, args...)
}

func (ss *surveys) Invitation(ctx context.Context, token string) (survey.Survey, error) {
	id, _, spent, err := invitation(ctx, ss.s.reader, token)
	if err != nil {
		return survey.Survey{}, err
	}
	if spent {
		return survey.Survey{}, fault.New(fault.Conflict, "this invitation has been answered")
	}
	s, err := ss.Get(ctx, id)
	if err != nil {
		return s, err
	}
	return s, s.CanAnswer()
}

func (ss *surveys) Answer(ctx context.Context, token string, answers []survey.Answer) error {
	return ss.s.InTx(ctx, func(tx *Tx) error {
		id, _, spent, err := invitation(ctx, tx, token)
		if err != nil {
			return err
		}
		if spent {
			return fault.New(fault.Conflict, "this invitation has been answered")
		}
		s, err := txSurvey(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.CanAnswer(); err != nil {
			return err
		}
		clean, err := survey.CheckResponse(s, answers)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO survey_spent (mark) VALUES ($1)`, spentMark(token)); isUnique(err) {
			return fault.New(fault.Conflict, "this invitation has been answered")
		} else if err != nil {
			return fmt.Errorf("spend invitation: %w", err)
		}
		var rid int64
		if err := tx.QueryRow(ctx, `INSERT INTO survey_responses (survey_id) VALUES ($1) RETURNING id`, id).Scan(&rid); err != nil {
			return fmt.Errorf("insert response: %w", err)
		}
		for _, a := range clean {
			values := a.Choices
			if a.Scale != 0 {
				values = []string{strconv.Itoa(a.Scale)}
			}
			if a.Text != "" {
				values = []string{""}
			}
			for _, v := range values {
				if _, err := tx.Exec(ctx, `INSERT INTO survey_answers (response_id, survey_id, question, value, text)
					VALUES ($1, $2, $3, $4, $5)`, rid, id, a.Question, v, a.Text); err != nil {
					return fmt.Errorf("insert answer: %w", err)
				}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE surveys SET responses = responses + 1 WHERE id = $1`, id); err != nil {
			return fmt.Errorf("count response: %w", err)
		}
		return nil
	})
}

func (ss *surveys) OptOut(ctx context.Context, token string) error {
	return ss.s.InTx(ctx, func(tx *Tx) error {
		_, sub, _, err := invitation(ctx, tx, token)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO survey_optouts (subscriber_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, sub, tx.Now)
		if err != nil {
			return fmt.Errorf("opt out: %w", err)
		}
		return nil
	})
}

// SurveyInvite is an invitation ready to send: the subscriber and the
// token of its link, which the store keeps only as a hash.
type SurveyInvite struct {
	Subscriber subscriber.Subscriber
	Token      string
}

// NextSurveyInvites takes up to limit unsent invitations of a survey,
// gives each a new token and marks it sent, in one transaction; the
// caller sends them. An invitation is taken once, so nobody is invited
// twice even if the send fails (the failure is recorded by
// SurveyInviteFailed).
func (s *Store) NextSurveyInvites(ctx context.Context, surveyID int64, limit int) ([]SurveyInvite, error) {
	var out []SurveyInvite
	err := s.InTx(ctx, func(tx *Tx) error {
		subs, err := queryAll(ctx, tx, "invited subscribers", scanSubscriber, `SELECT `+prefixed("s.", subscriberColumns)+`
			FROM survey_invitations i JOIN subscribers s ON s.id = i.subscriber_id
			WHERE i.survey_id = $1 AND i.sent_at IS NULL ORDER BY i.id LIMIT $2`, surveyID, limit)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			b := make([]byte, 24)
			if _, err := rand.Read(b); err != nil {
				return fmt.Errorf("invitation token: %w", err)
			}
			token := base64.RawURLEncoding.EncodeToString(b)
			if _, err := tx.Exec(ctx, `UPDATE survey_invitations SET token_hash = $1, sent_at = $2
				WHERE survey_id = $3 AND subscriber_id = $4`, tokenHash(token), tx.Now, surveyID, sub.ID); err != nil {
				return fmt.Errorf("mark invitation: %w", err)
			}
			out = append(out, SurveyInvite{Subscriber: sub, Token: token})
		}
		return nil
	})
	return out, err
}

// SurveyInviteFailed records why an invitation could not be sent.
func (s *Store) SurveyInviteFailed(ctx context.Context, surveyID, subscriberID int64, reason string) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE survey_invitations SET failed = $1 WHERE survey_id = $2 AND subscriber_id = $3`,
			reason, surveyID, subscriberID)
		if err != nil {
			return fmt.Errorf("record failed invitation: %w", err)
		}
		return nil
	})
}

// prefixed qualifies each column of a column list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
