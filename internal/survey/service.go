package survey

import (
	"context"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
)

// Count is how many answers chose one value of a question.
type Count struct {
	Value string // "1"…"5" for a scale, an option's key for a choice
	N     int
}

// QuestionResult is the distribution of the answers to one question.
type QuestionResult struct {
	Question Question
	Answered int
	Counts   []Count  // every value, in order, zeros included
	Mean     float64  // a scale's mean; 0 when unanswered
	Texts    []string // free-text answers, only for those allowed to read them
}

// Results are a survey's figures.
type Results struct {
	Survey    Survey
	Questions []QuestionResult
}

// TrendPoint is the mean of each measure in one crisis's survey.
type TrendPoint struct {
	SurveyID  int64
	CrisisID  int64
	Title     Texts
	SentAt    int64 // Unix seconds, for ordering
	Responses int
	Means     map[string]float64 // by measure key; missing when unanswered
}

// Service keeps surveys. Staff changes are checked against the matrix
// and audited; the public's Answer and OptOut need only the invitation's
// token.
//
// Errors: invalid (field), not_found (a survey, or a token that does not
// exist), conflict (stale lock, a survey not in the right state, an
// invitation already answered), forbidden.
type Service interface {
	Get(ctx context.Context, id int64) (Survey, error)
	List(ctx context.Context, f Filter) ([]Survey, int, error)
	// ByCrisis returns the survey of a crisis.
	ByCrisis(ctx context.Context, crisisID int64) (Survey, error)
	// Create makes a draft survey, of crisisID when not 0 (one per
	// crisis); s gives its title and questions.
	Create(ctx context.Context, a authz.Actor, crisisID int64, s Survey) (Survey, error)
	// Save changes a draft's title and questions; lock must match.
	Save(ctx context.Context, a authz.Actor, id, lock int64, s Survey) (Survey, error)
	// Send invites the crisis's subscribers, once per person, leaving out
	// those who opted out; the invitations go out through the delivery
	// engine in the background. It returns how many were invited.
	Send(ctx context.Context, a authz.Actor, id int64) (Survey, int, error)
	// SendClock is the month within which the survey must go out (kind
	// "survey_send"); not_found when the survey has none (one of no
	// crisis, or of a crisis still open).
	SendClock(ctx context.Context, id int64) (deadline.Deadline, error)
	// Close stops taking answers.
	Close(ctx context.Context, a authz.Actor, id int64) (Survey, error)

	// Invitation returns the survey an unanswered invitation token opens.
	Invitation(ctx context.Context, token string) (Survey, error)
	// Answer records the answers of the invitation token's holder, with
	// nothing that leads back to them, and spends the token.
	Answer(ctx context.Context, token string, answers []Answer) error
	// OptOut stops every later survey reaching the token's holder.
	OptOut(ctx context.Context, token string) error

	// Results are the survey's figures; free text only when withText.
	Results(ctx context.Context, id int64, withText bool) (Results, error)
	// Trend is the measures' means across the crises' surveys, oldest
	// first.
	Trend(ctx context.Context, limit int) ([]TrendPoint, error)
}

// SendArgs is the background job that sends a survey's invitations.
type SendArgs struct {
	SurveyID int64 `json:"survey_id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "survey_send" }
