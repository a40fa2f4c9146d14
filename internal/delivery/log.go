package delivery

import (
	"context"
	"time"

	"crisisdesk/internal/authz"
)

// Log is what the surfaces read and do with the delivery log. Errors are
// coded with fault (conflict when nothing is left to retry).
type Log interface {
	// Progress counts a notice's deliveries per channel and state.
	Progress(ctx context.Context, noticeID int64) ([]Progress, error)
	// FanoutDone reports whether every delivery record of a notice has
	// been written (true for a notice that has no fan-out).
	FanoutDone(ctx context.Context, noticeID int64) (bool, error)
	// Failures lists failed and abandoned deliveries; ch "" is every channel.
	Failures(ctx context.Context, noticeID int64, ch string, limit int) ([]Delivery, error)
	// Retry queues failed and abandoned deliveries again.
	Retry(ctx context.Context, a authz.Actor, noticeID int64, ch string) (int, error)
	// Inbox lists the internal notices sent to a user in the app.
	Inbox(ctx context.Context, userID int64, limit int) ([]InboxItem, error)
	// MarkRead records the read receipt of a user's in-app notice.
	MarkRead(ctx context.Context, noticeID, userID int64) error
	// Receipts lists who an internal notice reached in the app, and who
	// read it.
	Receipts(ctx context.Context, noticeID int64) ([]Receipt, error)
}

// InboxItem is an internal notice as it reached one member of staff.
type InboxItem struct {
	NoticeID int64
	SentAt   time.Time
	ReadAt   time.Time
}

// Receipt is one member of staff's in-app delivery of an internal notice.
type Receipt struct {
	UserID int64
	Name   string
	ReadAt time.Time
}
