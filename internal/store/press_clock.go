package store

import (
	"context"
	"fmt"
	"strconv"

	"crisisdesk/internal/deadline"
	"crisisdesk/internal/press"
	"crisisdesk/internal/resource"
)

func inquirySubject(id int64) deadline.Subject {
	return deadline.Subject{Kind: press.SubjectKind, ID: id}
}

// startInquiryClock starts an inquiry's reply-by clock: its owner is
// alerted at 80 % and when it runs out.
func startInquiryClock(ctx context.Context, tx *Tx, q press.Inquiry) error {
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: press.DeadlineKind, Subject: inquirySubject(q.ID), CrisisID: q.CrisisID,
		OwnerID: q.OwnerID, Link: "/desk/media/inquiries/" + strconv.FormatInt(q.ID, 10), Args: map[string]string{"ref": q.Ref()},
		StartedAt: q.ReceivedAt, DueAt: q.ReplyBy})
	if err != nil {
		return fmt.Errorf("start the reply clock of %s: %w", q.Ref(), err)
	}
	return nil
}

// meetInquiryClock meets an inquiry's reply-by clock.
func meetInquiryClock(ctx context.Context, tx *Tx, q press.Inquiry) error {
	if err := tx.MeetDeadline(ctx, press.DeadlineKind, inquirySubject(q.ID)); err != nil {
		return fmt.Errorf("meet the reply clock of %s: %w", q.Ref(), err)
	}
	return nil
}

func (p *pressDesk) ReplyClock(ctx context.Context, id int64) (deadline.Deadline, error) {
	return p.s.DeadlineOf(ctx, press.DeadlineKind, inquirySubject(id))
}

// reviewSubject is the office's one weekly review.
var reviewSubject = deadline.Subject{Kind: resource.ReviewSubject, ID: 1}

// restartReviewClock meets the weekly review's clock and starts the next
// week's, owned by the reviewer.
func restartReviewClock(ctx context.Context, tx *Tx, r resource.Review) error {
	if err := tx.MeetDeadline(ctx, resource.ReviewKind, reviewSubject); err != nil {
		return fmt.Errorf("meet the resource review clock: %w", err)
	}
	if _, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: resource.ReviewKind, Subject: reviewSubject, OwnerID: r.ReviewerID,
		Link: "/desk/resources/review", Args: map[string]string{}, StartedAt: r.At, DueAt: r.NextDue}); err != nil {
		return fmt.Errorf("start the resource review clock: %w", err)
	}
	return nil
}

func (rs *resources) ReviewClock(ctx context.Context) (deadline.Deadline, error) {
	return rs.s.DeadlineOf(ctx, resource.ReviewKind, reviewSubject)
}
