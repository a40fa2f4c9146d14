package notice

import (
	"slices"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/plan"
)

// The workflow as pure transitions. Each returns the changed notice or a
// coded error, and changes nothing on error. The store persists the result
// and bumps Lock.

// Changes is what an editor may change in an unpublished notice. Kind,
// crisis, references and the exercise flag are fixed when it is made.
type Changes struct {
	Audience         Audience
	Departments      []int64
	Roles            []authz.Role
	Experts          bool
	Contents         []Content
	CAP              CAPInfo
	CorrectionReason Reason
}

// Edit applies changes to an unpublished notice. A published notice is
// never edited: the answer is a correction. Editing a submitted or
// approved notice sends it back to draft, because an approval covers the
// exact text approved.
func Edit(n Notice, a authz.Actor, now time.Time, c Changes) (Notice, error) {
	if err := authz.Require(a, authz.EditNotice); err != nil {
		return n, err
	}
	if n.Status == Published {
		return n, fault.New(fault.Conflict, "a published notice is never changed; issue a correction instead")
	}
	out := n
	out.Audience, out.Departments, out.Roles, out.Experts = c.Audience, slices.Clone(c.Departments), slices.Clone(c.Roles), c.Experts
	out.Contents, out.CAP, out.CorrectionReason = slices.Clone(c.Contents), cloneCAP(c.CAP), c.CorrectionReason
	Normalize(&out)
	if n.Status != Draft {
		out.Status, out.ApproverID, out.SubmittedAt, out.ApprovedAt = Draft, 0, time.Time{}, time.Time{}
		out.Steps = appendStep(out.Steps, "edit", a, now, "changed after "+string(n.Status)+"; back to draft")
	}
	out.UpdatedAt = now
	return out, nil
}

// Submit sends a draft for approval.
func Submit(n Notice, a authz.Actor, now time.Time, comment string) (Notice, error) {
	if err := authz.Require(a, authz.EditNotice); err != nil {
		return n, err
	}
	if n.Status != Draft {
		return n, fault.New(fault.Conflict, "only a draft can be submitted; this notice is %s", n.Status)
	}
	if err := Validate(n); err != nil {
		return n, err
	}
	n.Status, n.SubmittedAt, n.UpdatedAt = Submitted, now, now
	n.Steps = appendStep(n.Steps, "submit", a, now, comment)
	return n, nil
}

// Approve records the approver's signature. The author cannot approve
// their own notice, whatever their role.
func Approve(n Notice, a authz.Actor, now time.Time, comment string) (Notice, error) {
	if err := authz.Require(a, authz.ApproveNotice); err != nil {
		return n, err
	}
	if n.Status != Submitted {
		return n, fault.New(fault.Conflict, "only a submitted notice can be approved; this notice is %s", n.Status)
	}
	if a.UserID != 0 && a.UserID == n.AuthorID {
		return n, fault.New(fault.Forbidden, "the author cannot approve their own notice: ask another approver")
	}
	if err := Validate(n); err != nil {
		return n, err
	}
	n.Status, n.ApproverID, n.ApprovedAt, n.UpdatedAt = Approved, a.UserID, now, now
	n.Steps = appendStep(n.Steps, "approve", a, now, comment)
	return n, nil
}

// Return sends a submitted or approved notice back to draft with a reason.
func Return(n Notice, a authz.Actor, now time.Time, reason string) (Notice, error) {
	if err := authz.Require(a, authz.ReturnNotice); err != nil {
		return n, err
	}
	if n.Status != Submitted && n.Status != Approved {
		return n, fault.New(fault.Conflict, "only a submitted or approved notice can be returned; this notice is %s", n.Status)
	}
	if strings.TrimSpace(reason) == "" {
		return n, fault.Field("reason", "say why the notice goes back")
	}
	n.Status, n.ApproverID, n.SubmittedAt, n.ApprovedAt, n.UpdatedAt = Draft, 0, time.Time{}, time.Time{}, now
	n.Steps = appendStep(n.Steps, "return", a, now, reason)
	return n, nil
}

// Publish publishes an approved notice. With fastPathAllowed (see
// FastPathAllowed) a commander may instead publish a draft or submitted
// notice started from a plan template at once; it is marked FastPath and
// waits for ReviewAfter. A published notice is published once: a second
// call is a conflict.
func Publish(n Notice, a authz.Actor, now time.Time, fastPathAllowed bool) (Notice, error) {
	switch n.Status {
	case Published:
		return n, fault.New(fault.Conflict, "the notice is already published")
	case Approved:
		if err := authz.Require(a, authz.PublishNotice); err != nil {
			return n, err
		}
		if err := Validate(n); err != nil {
			return n, err
		}
		n.Steps = appendStep(n.Steps, "publish", a, now, "")
	default:
		if !fastPathAllowed || n.TemplatePlanID == 0 {
			return n, fault.New(fault.Conflict, "only an approved notice can be published; this notice is %s", n.Status)
		}
		if err := authz.Require(a, authz.FastPathNotice); err != nil {
			return n, err
		}
		if err := Validate(n); err != nil {
			return n, err
		}
		n.FastPath = true
		n.Steps = appendStep(n.Steps, "fast_path", a, now, "published from a pre-approved template; review follows")
	}
	n.Status, n.PublisherID, n.PublishedAt, n.UpdatedAt = Published, a.UserID, now, now
	return n, nil
}

// FastPathAllowed reports whether the plan version p, which started the
// draft from its template, lets the commander publish at once at level:
// the plan is in force, the level is I or II, and the plan lists it.
func FastPathAllowed(p plan.Plan, level catalog.Level) bool {
	return p.Status == plan.Approved && (level == catalog.LevelI || level == catalog.LevelII) &&
		slices.Contains(p.Body.FastPathLevels, level)
}

// ReviewAfter records the after-the-fact review of a fast-path notice. The
// reviewer is not the one who published it. A review that finds a problem
// is followed by a correction.
func ReviewAfter(n Notice, a authz.Actor, now time.Time, comment string) (Notice, error) {
	if err := authz.Require(a, authz.ReviewNoticeAfter); err != nil {
		return n, err
	}
	if !n.FastPath || n.Status != Published {
		return n, fault.New(fault.Conflict, "only a notice published on the fast path is reviewed afterwards")
	}
	if !n.ReviewedAt.IsZero() {
		return n, fault.New(fault.Conflict, "the notice was already reviewed")
	}
	if a.UserID != 0 && (a.UserID == n.PublisherID || a.UserID == n.AuthorID) {
		return n, fault.New(fault.Forbidden, "the review after the fast path is by someone other than the author and publisher")
	}
	n.ReviewerID, n.ReviewedAt, n.UpdatedAt = a.UserID, now, now
	n.Steps = appendStep(n.Steps, "review_after", a, now, comment)
	return n, nil
}

// appendStep records a step. Its comment is staff's own note, shown only in
// the desk, so characters that cannot be published are dropped rather than
// refused (plaintext.Clean).
func appendStep(steps []Step, action string, a authz.Actor, now time.Time, comment string) []Step {
	return append(slices.Clip(steps), Step{Action: action, UserID: a.UserID, Name: a.Name, At: now, Comment: strings.TrimSpace(plaintext.Clean(comment))})
}

func cloneCAP(c CAPInfo) CAPInfo {
	c.Area.Polygons = slices.Clone(c.Area.Polygons)
	c.Area.Circles = slices.Clone(c.Area.Circles)
	c.Area.Geocodes = slices.Clone(c.Area.Geocodes)
	return c
}
