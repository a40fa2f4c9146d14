package plan

import (
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// Sign-off rules, as pure transitions. Each returns the changed plan or a
// coded error, and changes nothing on error.

// Submit sends a draft for review. Only the author (or an admin) submits.
func Submit(p Plan, a authz.Actor, now time.Time, comment string) (Plan, error) {
	if err := authz.Require(a, authz.EditPlan); err != nil {
		return p, err
	}
	if p.Status != Draft {
		return p, fault.New(fault.Conflict, "only a draft can be submitted; this version is %s", p.Status)
	}
	if err := Validate(p.Title, p.Body); err != nil {
		return p, err
	}
	p.Status, p.SubmittedAt = Submitted, now
	p.Signatures = append(p.Signatures, Signature{Action: "submit", UserID: a.UserID, Name: a.Name, At: now, Comment: strings.TrimSpace(comment)})
	return p, nil
}

// Review records the reviewer's signature (審核). The reviewer is not the
// author.
func Review(p Plan, a authz.Actor, now time.Time, comment string) (Plan, error) {
	if err := authz.Require(a, authz.ReviewPlan); err != nil {
		return p, err
	}
	if p.Status != Submitted {
		return p, fault.New(fault.Conflict, "only a submitted plan can be reviewed; this version is %s", p.Status)
	}
	if a.UserID != 0 && a.UserID == p.AuthorID {
		return p, fault.New(fault.Forbidden, "the author cannot review their own plan: three different people sign it")
	}
	p.Status, p.ReviewerID, p.ReviewedAt = Reviewed, a.UserID, now
	p.Signatures = append(p.Signatures, Signature{Action: "review", UserID: a.UserID, Name: a.Name, At: now, Comment: strings.TrimSpace(comment)})
	return p, nil
}

// Approve records the approver's signature (批準) and puts the version in
// force. The approver is neither the author nor the reviewer.
func Approve(p Plan, a authz.Actor, now time.Time, comment string) (Plan, error) {
	if err := authz.Require(a, authz.ApprovePlan); err != nil {
		return p, err
	}
	if p.Status != Reviewed {
		return p, fault.New(fault.Conflict, "only a reviewed plan can be approved; this version is %s", p.Status)
	}
	if a.UserID != 0 && (a.UserID == p.AuthorID || a.UserID == p.ReviewerID) {
		return p, fault.New(fault.Forbidden, "the approver must be neither the author nor the reviewer: three different people sign it")
	}
	p.Status, p.ApproverID, p.ApprovedAt = Approved, a.UserID, now
	months := p.Body.ReviewMonths
	if months <= 0 {
		months = DefaultReviewMonths
	}
	p.ReviewDue = now.AddDate(0, months, 0)
	p.Signatures = append(p.Signatures, Signature{Action: "approve", UserID: a.UserID, Name: a.Name, At: now, Comment: strings.TrimSpace(comment)})
	return p, nil
}

// Return sends a submitted or reviewed plan back to draft with reasons.
func Return(p Plan, a authz.Actor, now time.Time, reason string) (Plan, error) {
	switch p.Status {
	case Submitted:
		if err := authz.Require(a, authz.ReviewPlan); err != nil {
			return p, err
		}
	case Reviewed:
		if err := authz.Require(a, authz.ApprovePlan); err != nil {
			return p, err
		}
	default:
		return p, fault.New(fault.Conflict, "only a submitted or reviewed plan can be returned; this version is %s", p.Status)
	}
	if strings.TrimSpace(reason) == "" {
		return p, fault.Field("comment", "say why the plan goes back")
	}
	p.Status, p.ReviewerID, p.SubmittedAt, p.ReviewedAt = Draft, 0, time.Time{}, time.Time{}
	p.Signatures = append(p.Signatures, Signature{Action: "return", UserID: a.UserID, Name: a.Name, At: now, Comment: strings.TrimSpace(reason)})
	return p, nil
}

// Lapsed reports whether an approved plan is past its review date.
func (p Plan) Lapsed(now time.Time) bool {
	return p.Status == Approved && !p.ReviewDue.IsZero() && now.After(p.ReviewDue)
}

// ReviewSoon reports whether an approved plan's review falls due within
// the next 30 days.
func (p Plan) ReviewSoon(now time.Time) bool {
	return p.Status == Approved && !p.ReviewDue.IsZero() && !now.After(p.ReviewDue) && p.ReviewDue.Sub(now) < 30*24*time.Hour
}
