package feedback

import (
	"context"
	"strings"
	"time"

	"crisisdesk/internal/authz"
)

// Filter selects feedback for a list.
type Filter struct {
	State    State
	Category Category
	Channel  Channel
	CrisisID int64
	OwnerID  int64
	Tag      string
	Overdue  bool      // open and past its reply-by time at Now
	Now      time.Time // for Overdue
	Query    string    // words in the message or the reference
	Offset   int
	Limit    int
}

// Entry is one question and answer of a crisis's FAQ, as the public
// site shows it.
type Entry struct {
	FeedbackID  int64
	Question    string
	Answer      string
	PublishedAt time.Time
}

// Status is what the lookup page /feedback/{ref} shows its sender: the
// state and the reply, never the contact or staff notes.
type Status struct {
	Ref       string
	State     State
	Category  Category
	CreatedAt time.Time
	Reply     string
	RepliedAt time.Time
	Action    bool // an action was taken
}

// PublicOf is f as its sender sees it. Merged feedback shows the reply
// of the one it was merged into (the store passes that one as into).
func PublicOf(f Feedback, into *Feedback) Status {
	p := Status{Ref: f.Ref, State: f.State, Category: f.Category, CreatedAt: f.CreatedAt, Reply: f.Reply,
		RepliedAt: f.RepliedAt, Action: !f.ActionAt.IsZero()}
	if into != nil {
		p.Reply, p.RepliedAt, p.Action = into.Reply, into.RepliedAt, !into.ActionAt.IsZero()
		if into.State == Replied || into.State == Closed {
			p.State = into.State
		}
	}
	return p
}

// ReplyArgs asks for a reply to be sent by its channel (a River job's
// arguments: the store enqueues it with the reply).
type ReplyArgs struct {
	FeedbackID int64     `json:"feedback_id"`
	RepliedAt  time.Time `json:"replied_at"` // which reply: a later one supersedes it
}

// Kind names the job.
func (ReplyArgs) Kind() string { return "feedback_reply_send" }

// Service stores feedback. Every staff change is checked against the
// permission matrix, runs through the pure transitions of this package,
// and is audited in the same transaction.
//
// Errors: invalid (field), not_found (id or reference), conflict (stale
// lock, merged feedback, publishing before a reply), forbidden (role).
type Service interface {
	// Submit takes a submission from the public, a channel or the staff
	// and returns it with its reference once it is durable. Submissions
	// arriving together are committed together (group commit).
	Submit(ctx context.Context, s Submission) (Feedback, error)
	// SubmitAs records feedback from a department or an expert entered
	// by staff (needs SubmitFeedback); it is audited.
	SubmitAs(ctx context.Context, a authz.Actor, s Submission) (Feedback, error)
	Get(ctx context.Context, id int64) (Feedback, error)
	// ByRef finds feedback by its reference (any spelling NormalizeRef reads).
	ByRef(ctx context.Context, ref string) (Feedback, error)
	// Lookup is what the sender of ref sees.
	Lookup(ctx context.Context, ref string) (Status, error)
	List(ctx context.Context, f Filter) ([]Feedback, int, error)
	// Tags lists the tags in use, for the filter.
	Tags(ctx context.Context) ([]string, error)

	Triage(ctx context.Context, a authz.Actor, id, lock int64, t Triage) (Feedback, error)
	// Reply records the answer and sends it by the channel it came in on
	// (e-mail, SMS) after commit; without a contact the sender reads it at
	// /feedback/{ref}.
	Reply(ctx context.Context, a authz.Actor, id int64, answer string) (Feedback, error)
	TakeAction(ctx context.Context, a authz.Actor, id int64, note string) (Feedback, error)
	Close(ctx context.Context, a authz.Actor, id int64, note string) (Feedback, error)
	// Merge makes dup a duplicate of into (by id).
	Merge(ctx context.Context, a authz.Actor, dup, into int64) (Feedback, error)
	// Publish puts an answer in its crisis's FAQ; Unpublish takes it out.
	Publish(ctx context.Context, a authz.Actor, id int64, question, answer string) (Feedback, error)
	Unpublish(ctx context.Context, a authz.Actor, id int64) (Feedback, error)
	// LinkCorrection links a reported error to the correction notice it
	// caused (a notice of kind correction, invalid otherwise).
	LinkCorrection(ctx context.Context, a authz.Actor, id, correctionID int64) (Feedback, error)
	// LinkRumour records that the item mentions a rumour of the register
	// (0 unlinks); ByRumour lists the items that mention one.
	LinkRumour(ctx context.Context, a authz.Actor, id, rumourID int64) (Feedback, error)
	ByRumour(ctx context.Context, rumourID int64) ([]Feedback, error)
	// FAQ is a crisis's published answers, newest first.
	FAQ(ctx context.Context, crisisID int64) ([]Entry, error)

	// Links are the personal links of departments and experts.
	Links(ctx context.Context) ([]PersonalLink, error)
	// CreateLink makes a personal link; the token is returned once.
	CreateLink(ctx context.Context, a authz.Actor, source Source, sourceID int64, label string) (PersonalLink, string, error)
	RevokeLink(ctx context.Context, a authz.Actor, id int64) error
	// LinkByToken finds a live personal link.
	LinkByToken(ctx context.Context, token string) (PersonalLink, error)
}

// PersonalLink lets a department or an expert send feedback without an
// account: /feedback/from/{token}.
type PersonalLink struct {
	ID        int64
	Source    Source // Department or Expert
	SourceID  int64
	Label     string
	CreatedAt time.Time
	RevokedAt time.Time
}

// MaskContact hides most of a contact for lists and logs: "ch***@example.org",
// "+8529***67".
func MaskContact(c string) string {
	if c == "" {
		return ""
	}
	if at := strings.LastIndexByte(c, '@'); at > 0 {
		local := c[:at]
		keep := min(2, len(local))
		return local[:keep] + "***" + c[at:]
	}
	if len(c) <= 6 {
		return "***"
	}
	return c[:5] + "***" + c[len(c)-2:]
}
