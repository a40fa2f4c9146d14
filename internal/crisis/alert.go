package crisis

import "time"

// Stage of a clock alert.
type Stage string

// Alert stages.
const (
	WarnStage    Stage = "warn"    // 80 % of the clock has run
	ExpiredStage Stage = "expired" // the clock ran out unmet
)

// Alert is an in-app message to a person about a clock running out; the
// same is sent by e-mail when a mail server is configured.
type Alert struct {
	ID        int64
	UserID    int64
	CrisisID  int64
	ClockName string
	Subject   string // the clock's subject: a task's title
	Stage     Stage
	Text      string // an alert recorded before system texts were keys; empty now
	Msg       Msg    // the alert's text, rendered in each reader's language
	DueAt     time.Time
	CreatedAt time.Time
	ReadAt    time.Time
}

// ClockAlertArgs is the background job that alerts the owner and the
// commanders when a clock reaches 80 % and when it runs out. It is
// scheduled when the clock starts, not found by polling.
type ClockAlertArgs struct {
	ClockID int64 `json:"clock_id"`
	Stage   Stage `json:"stage"`
}

// Kind names the job.
func (ClockAlertArgs) Kind() string { return "clock_alert" }

// AlertMailArgs is the background job that e-mails one recorded alert to
// its person. It is enqueued with the alert, in the same transaction, and
// retried on its own when the mail server fails. It names the alert, not
// its content: the address and the text are read when it runs, so none of
// them sit in the job queue.
type AlertMailArgs struct {
	AlertID int64 `json:"alert_id"`
}

// Kind names the job.
func (AlertMailArgs) Kind() string { return "clock_alert_mail" }

// AlertMailAttempts is how often an alert e-mail is tried. With River's
// backoff (attempt⁴ seconds) the last try is about 78 minutes after the
// first: an alert mailed later than that is noise.
const AlertMailAttempts = 8
