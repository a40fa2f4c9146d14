// Package action is the one action list: what is to be done after a
// meeting, a drill, a post-crisis review, a risk or a piece of feedback.
// Each action keeps its source and has an owner, a due date, a done step
// and a verified step. The drills' improvement actions live here too.
package action

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// SourceKind is where an action comes from.
type SourceKind string

// The sources of actions.
const (
	FromMeeting  SourceKind = "meeting"
	FromDrill    SourceKind = "drill"
	FromReview   SourceKind = "review" // a post-crisis review; its source id is the crisis
	FromRisk     SourceKind = "risk"
	FromFeedback SourceKind = "feedback"
)

// SourceKinds lists every source in the order the filters show them.
var SourceKinds = []SourceKind{FromMeeting, FromDrill, FromReview, FromRisk, FromFeedback}

// Valid reports whether k is a known source.
func (k SourceKind) Valid() bool { return slices.Contains(SourceKinds, k) }

// State is where an action stands.
type State string

// An action is open until done, and closed once someone else verified it.
const (
	Open     State = "open"
	Done     State = "done"
	Verified State = "verified"
)

// States lists the states in order.
var States = []State{Open, Done, Verified}

// DeadlineKind names the clock that alerts an action's owner when it falls
// due.
const DeadlineKind = "action_due"

// Source is what an action came from.
type Source struct {
	Kind SourceKind
	ID   int64
}

// Action is one thing to be done.
type Action struct {
	ID           int64
	Source       Source
	CrisisID     int64 // 0 when none
	Text         string
	OwnerID      int64
	DepartmentID int64 // the owner's department when the action was made, unless named
	Due          time.Time
	LinkKind     string // what a drill's action changes (plan_step, template, training, resource)
	LinkRef      string
	State        State
	DoneBy       int64
	DoneAt       time.Time
	VerifiedBy   int64
	VerifiedAt   time.Time
	CreatedBy    int64
	CreatedAt    time.Time
	// ReadOnly marks an action read through from elsewhere (a post-crisis
	// review's action items): it is changed where it was written.
	ReadOnly bool
	Link     string // the desk page of its source
	// TextKey, when set, is the message key of the text (a mitigation of
	// the default risk register), rendered in the reader's language.
	TextKey string
}

// Words is the action's text in tr's words: its message key's text when
// it has one.
func (x Action) Words(t func(key string, args ...any) string) string {
	if x.TextKey != "" {
		return t(x.TextKey)
	}
	return x.Text
}

// Closed reports whether the action is closed: done and verified.
func (x Action) Closed() bool { return x.State == Verified }

// Overdue reports whether the action is still open past its due time.
func (x Action) Overdue(now time.Time) bool { return x.State == Open && now.After(x.Due) }

// OnTime reports whether the action was done by its due date.
func (x Action) OnTime() bool { return !x.DoneAt.IsZero() && !x.DoneAt.After(x.Due) }

// Filter picks actions for the list.
type Filter struct {
	Source       SourceKind // "" for every source
	SourceID     int64      // with Source: one meeting, drill, ...
	OwnerID      int64
	DepartmentID int64
	State        State // "" for every state
	OpenOnly     bool  // open or done, not verified: "everything I owe"
	DueBefore    time.Time
	CreatedFrom  time.Time
	CreatedTo    time.Time
}

// Check checks a new action from a source: text, owner, due in the future.
// It normalises the text and sets the state.
func Check(in Action, now time.Time) (Action, error) {
	in.Text = strings.TrimSpace(plaintext.Normalize(in.Text))
	in.LinkRef = strings.TrimSpace(plaintext.Normalize(in.LinkRef))
	var f fault.Fields
	if !in.Source.Kind.Valid() || in.Source.ID <= 0 {
		f.Add("source", "name the meeting, drill, review, risk or feedback the action comes from")
	}
	if in.Text == "" || utf8.RuneCountInString(in.Text) > 2000 {
		f.Add("text", "say what is to be done, in at most 2000 characters")
	}
	if in.OwnerID <= 0 {
		f.Add("owner_id", "name the owner")
	}
	if in.Due.IsZero() || !in.Due.After(now) {
		f.Add("due", "give a due date in the future")
	}
	plaintext.Check(&f, "text", in.Text)
	plaintext.CheckLine(&f, "link_ref", in.LinkRef)
	if err := f.Err(); err != nil {
		return in, err
	}
	in.State, in.CreatedAt = Open, now
	in.DoneBy, in.DoneAt, in.VerifiedBy, in.VerifiedAt = 0, time.Time{}, 0, time.Time{}
	return in, nil
}

// Complete marks an open action done: its owner, or someone who manages
// actions.
func Complete(x Action, a authz.Actor, now time.Time) (Action, error) {
	if a.UserID == 0 || a.UserID != x.OwnerID {
		if err := authz.Require(a, authz.ManageActions); err != nil {
			return x, err
		}
	}
	if x.ReadOnly {
		return x, fault.New(fault.Conflict, "this action is kept on its source's page: change it there")
	}
	if x.State != Open {
		return x, fault.New(fault.Conflict, "the action is %s already", x.State)
	}
	x.State, x.DoneBy, x.DoneAt = Done, a.UserID, now
	return x, nil
}

// Verify closes a done action: someone who may verify and did not mark it
// done.
func Verify(x Action, a authz.Actor, now time.Time) (Action, error) {
	if err := authz.Require(a, authz.VerifyActions); err != nil {
		return x, err
	}
	if x.ReadOnly {
		return x, fault.New(fault.Conflict, "this action is kept on its source's page: change it there")
	}
	if x.State != Done {
		return x, fault.New(fault.Conflict, "only a done action is verified; this one is %s", x.State)
	}
	if a.UserID != 0 && a.UserID == x.DoneBy {
		return x, fault.New(fault.Forbidden, "who marked the action done does not verify it: ask someone else")
	}
	x.State, x.VerifiedBy, x.VerifiedAt = Verified, a.UserID, now
	return x, nil
}

// Service keeps the action list.
//
// List reads actions, due first; it includes the post-crisis reviews'
// action items read-only. Get answers not_found. Add checks the action with
// Check (invalid, naming the field; forbidden without ManageActions; an
// owner who does not exist or is disabled is invalid on owner_id) and starts
// its due clock. Complete and Verify answer forbidden, conflict or
// not_found; a drill's action follows the drill's own rules.
type Service interface {
	List(ctx context.Context, f Filter) ([]Action, error)
	Get(ctx context.Context, id int64) (Action, error)
	Add(ctx context.Context, a authz.Actor, in Action) (Action, error)
	Complete(ctx context.Context, a authz.Actor, id int64) (Action, error)
	Verify(ctx context.Context, a authz.Actor, id int64) (Action, error)
}

// Owed groups open and done actions per owner or department: "everything I
// owe".
type Owed struct {
	Key     int64 // user or department id
	Open    int
	Done    int // done, awaiting verification
	Overdue int
}

// Tally counts the actions per key (owner or department) for the owed
// views.
func Tally(list []Action, now time.Time, key func(Action) int64) []Owed {
	idx := map[int64]int{}
	var out []Owed
	for _, x := range list {
		if x.State == Verified {
			continue
		}
		k := key(x)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Owed{Key: k})
		}
		switch {
		case x.State == Done:
			out[i].Done++
		case x.Overdue(now):
			out[i].Overdue++
			out[i].Open++
		default:
			out[i].Open++
		}
	}
	slices.SortFunc(out, func(a, b Owed) int { return int(a.Key - b.Key) })
	return out
}
