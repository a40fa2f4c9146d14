package drill

import (
	"slices"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// ActionState is where an improvement action stands.
type ActionState string

// An action is open until done, and closed once someone else verified it.
const (
	ActionOpen     ActionState = "open"
	ActionDone     ActionState = "done"
	ActionVerified ActionState = "verified"
)

// LinkKinds are what an improvement action changes.
var LinkKinds = []string{"plan_step", "template", "training", "resource"}

// Action is an improvement action from an area for improvement: an owner,
// a due date and what it changes (a plan and its step, a template,
// training, a resource).
type Action struct {
	ID         int64
	DrillID    int64
	Text       string
	OwnerID    int64
	Due        time.Time
	LinkKind   string
	LinkRef    string // e.g. "typhoon-main#r1", the template's name, the course
	State      ActionState
	DoneBy     int64
	DoneAt     time.Time
	VerifiedBy int64
	VerifiedAt time.Time
	CreatedAt  time.Time
}

// Closed reports whether the action is closed: done and verified.
func (a Action) Closed() bool { return a.State == ActionVerified }

// OnTime reports whether the action was done by its due date.
func (a Action) OnTime() bool { return !a.DoneAt.IsZero() && !a.DoneAt.After(a.Due) }

// NewAction checks a new improvement action on drill d by evaluator a.
func NewAction(d Drill, a authz.Actor, now time.Time, in Action) (Action, error) {
	if err := authz.Require(a, authz.EvaluateDrill); err != nil {
		return in, err
	}
	if d.State != Ended && d.State != Evaluated {
		return in, fault.New(fault.Conflict, "improvement actions follow the drill's end; this drill is %s", d.State)
	}
	in.Text, in.LinkRef = text(in.Text), text(in.LinkRef)
	var f fault.Fields
	if in.Text == "" || utf8.RuneCountInString(in.Text) > 2000 {
		f.Add("text", "say what is to be done, in at most 2000 characters")
	}
	if in.OwnerID <= 0 {
		f.Add("owner_id", "name the owner")
	}
	if in.Due.IsZero() || !in.Due.After(now) {
		f.Add("due", "give a due date in the future")
	}
	if !slices.Contains(LinkKinds, in.LinkKind) {
		f.Add("link_kind", "choose plan_step, template, training or resource")
	}
	if in.LinkRef == "" {
		f.Add("link_ref", "say what it changes")
	}
	plaintext.Check(&f, "text", in.Text)
	plaintext.CheckLine(&f, "link_ref", in.LinkRef)
	if err := f.Err(); err != nil {
		return in, err
	}
	in.DrillID, in.State, in.CreatedAt = d.ID, ActionOpen, now
	return in, nil
}

// CompleteAction marks an open action done: its owner, or an evaluator.
func CompleteAction(x Action, a authz.Actor, now time.Time) (Action, error) {
	if a.UserID != x.OwnerID {
		if err := authz.Require(a, authz.EvaluateDrill); err != nil {
			return x, err
		}
	}
	if x.State != ActionOpen {
		return x, fault.New(fault.Conflict, "the action is %s already", x.State)
	}
	x.State, x.DoneBy, x.DoneAt = ActionDone, a.UserID, now
	return x, nil
}

// VerifyAction closes a done action: an approver who did not mark it done.
func VerifyAction(x Action, a authz.Actor, now time.Time) (Action, error) {
	if err := authz.Require(a, authz.ApproveDrill); err != nil {
		return x, err
	}
	if x.State != ActionDone {
		return x, fault.New(fault.Conflict, "only a done action is verified; this one is %s", x.State)
	}
	if a.UserID != 0 && a.UserID == x.DoneBy {
		return x, fault.New(fault.Forbidden, "who marked the action done does not verify it: ask someone else")
	}
	x.State, x.VerifiedBy, x.VerifiedAt = ActionVerified, a.UserID, now
	return x, nil
}

// ActionDueArgs is the River job that reminds an action's owner when it
// falls due; an action closed by then is left alone.
type ActionDueArgs struct {
	ActionID int64 `json:"action_id"`
}

// Kind names the job.
func (ActionDueArgs) Kind() string { return "drill_action_due" }
