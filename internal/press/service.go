package press

import (
	"context"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
)

// InquiryFilter selects inquiries for the log.
type InquiryFilter struct {
	CrisisID int64
	OpenOnly bool
	Offset   int
	Limit    int
}

// Service stores the media desk. Every change is checked against the
// permission matrix and audited in the same transaction.
//
// Errors: invalid (field), not_found, conflict (stale version, an inquiry
// already answered), forbidden (role).
type Service interface {
	Journalists(ctx context.Context) ([]Journalist, error)
	Journalist(ctx context.Context, id int64) (Journalist, error)
	AddJournalist(ctx context.Context, a authz.Actor, j Journalist) (Journalist, error)
	// SaveJournalist changes a journalist; j.Version must match.
	SaveJournalist(ctx context.Context, a authz.Actor, j Journalist) (Journalist, error)

	// LogInquiry logs an inquiry and starts its reply-by clock.
	LogInquiry(ctx context.Context, a authz.Actor, q Inquiry) (Inquiry, error)
	// AnswerInquiry records the reply and the notices that gave it, and
	// meets the clock.
	AnswerInquiry(ctx context.Context, a authz.Actor, id int64, reply string, notices []int64) (Inquiry, error)
	Inquiry(ctx context.Context, id int64) (Inquiry, error)
	Inquiries(ctx context.Context, f InquiryFilter) ([]Inquiry, int, error)
	// ReplyClock is the inquiry's reply-by deadline; not_found when none
	// was started.
	ReplyClock(ctx context.Context, id int64) (deadline.Deadline, error)

	// SetReleaseRecipients chooses the journalists a press release (a
	// notice whose audience is the media, not yet published) is e-mailed
	// to when it is published; each must have agreed to it (Reachable).
	SetReleaseRecipients(ctx context.Context, a authz.Actor, noticeID int64, journalists []int64) error
	ReleaseRecipients(ctx context.Context, noticeID int64) ([]int64, error)

	// Conferences lists the press conferences, the latest first;
	// AddConference schedules one (its invited journalists must exist).
	Conferences(ctx context.Context) ([]Conference, error)
	Conference(ctx context.Context, id int64) (Conference, error)
	AddConference(ctx context.Context, a authz.Actor, c Conference) (Conference, error)

	Accounts(ctx context.Context) ([]Account, error)
	AddAccount(ctx context.Context, a authz.Actor, acc Account) (Account, error)
	// RecordPost records what was posted on an account for a notice.
	RecordPost(ctx context.Context, a authz.Actor, p Post) (Post, error)
	// Posts returns the posts recorded for a notice, or for every notice
	// when noticeID is 0, newest first.
	Posts(ctx context.Context, noticeID int64) ([]Post, error)
}
