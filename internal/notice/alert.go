package notice

import (
	"context"
	"time"

	"crisisdesk/internal/authz"
)

// AlertKind says why a notice waits for a person.
type AlertKind string

// Alert kinds.
const (
	// AlertSubmitted tells the approvers (and reviewers) that a notice
	// was submitted for their decision.
	AlertSubmitted AlertKind = "submitted"
	// AlertReturned tells a notice's author that it came back, with the
	// reason in the notice's steps.
	AlertReturned AlertKind = "returned"
)

// StaffAlert is an in-app message to a person that a notice waits for them;
// the same is e-mailed when a mail server is configured. It holds no
// sentence: pages and e-mails word it in their reader's language from its
// fields.
type StaffAlert struct {
	ID        int64
	UserID    int64
	NoticeID  int64
	CrisisID  int64 // the notice's crisis; 0 for a standalone notice
	Kind      AlertKind
	ActorID   int64  // who submitted or returned it
	ActorName string // filled on read
	CreatedAt time.Time
	ReadAt    time.Time
}

// StaffAlerts are the in-app alerts about notices.
//
// Errors: forbidden (marking another person's alerts is silently
// skipped, not an error), internal.
type StaffAlerts interface {
	// Alerts lists userID's alerts, newest first (unread only when
	// unreadOnly); limit is capped at 200.
	Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]StaffAlert, error)
	// MarkAlertsRead marks the actor's own alerts among ids read.
	MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error
}

// AlertMailArgs is the background job that e-mails one notice alert to its
// person, enqueued with the alert in the transaction that submits or
// returns the notice. It names the alert, not its address or text.
type AlertMailArgs struct {
	AlertID int64 `json:"alert_id"`
}

// Kind names the job.
func (AlertMailArgs) Kind() string { return "notice_alert_mail" }

// AlertMailAttempts is how often a notice alert e-mail is tried (about
// 80 minutes with River's backoff, like the clock alerts).
const AlertMailAttempts = 8

// AlertRecipients says who a notice's alert of kind goes to, given a
// person's id and role: for a submitted notice everyone who may approve
// or return it except its author; for a returned one its author.
func AlertRecipients(n Notice, kind AlertKind, userID int64, role authz.Role) bool {
	switch kind {
	case AlertSubmitted:
		return userID != n.AuthorID && (authz.Can(role, authz.ApproveNotice) || authz.Can(role, authz.ReturnNotice))
	case AlertReturned:
		return userID == n.AuthorID
	}
	return false
}
