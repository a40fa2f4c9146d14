package feedback

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// The life of feedback as pure transitions. Each takes the actor and the
// time, returns the changed feedback or a coded error, and changes nothing
// on error. The store checks what needs the database (the crisis, the
// owner, the correction notice) and persists the result.

func step(f Feedback, action string, a authz.Actor, now time.Time, note string) []Step {
	return append(append([]Step(nil), f.Steps...), Step{Action: action, ActorID: a.UserID, Actor: a.Name, At: now, Note: note})
}

// Receive makes the feedback of a submission received at now, with a fresh
// reference; its reply is due by its category's deadline.
func Receive(s Submission, now time.Time) (Feedback, error) {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return Feedback{}, err
	}
	f := Feedback{Ref: NewRef(), Channel: s.Channel, Source: s.Source, SourceID: s.SourceID, Message: s.Message,
		Language: s.Language, Contact: s.Contact, CrisisID: s.CrisisID, NoticeID: s.NoticeID,
		Category: s.Category, Priority: Normal, State: New, ReplyDue: now.Add(ReplyWithin(s.Category)),
		CreatedAt: now, UpdatedAt: now, Lock: 1}
	f.Steps = []Step{{Action: "receive", At: now, Note: string(s.Channel)}}
	return f, nil
}

// Triage is what staff decide on feedback.
type Triage struct {
	Category Category
	CrisisID int64
	Priority Priority
	OwnerID  int64
	Tags     []string
}

// Normalize trims and de-duplicates the tags (lower case).
func (t *Triage) Normalize() {
	var tags []string
	for _, tag := range t.Tags {
		for _, p := range strings.Split(tag, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			if p != "" && !slices.Contains(tags, p) {
				tags = append(tags, p)
			}
		}
	}
	t.Tags = tags
}

// Validate checks the triage, naming the field of each problem.
func (t Triage) Validate() error {
	var f fault.Fields
	if !t.Category.Valid() {
		f.Add("category", "%q is not a category", t.Category)
	}
	if !t.Priority.Valid() {
		f.Add("priority", "%q is not a priority", t.Priority)
	}
	if len(t.Tags) > MaxTags {
		f.Add("tags", "at most %d tags", MaxTags)
	}
	for _, tag := range t.Tags {
		if utf8.RuneCountInString(tag) > MaxTag {
			f.Add("tags", "a tag has at most %d characters", MaxTag)
			break
		}
		plaintext.CheckLine(&f, "tags", tag)
	}
	if t.CrisisID < 0 || t.OwnerID < 0 {
		f.Add("owner_id", "is not an id")
	}
	return f.Err()
}

// live refuses a change to merged feedback.
func live(f Feedback) error {
	if f.State == Merged {
		return fault.New(fault.Conflict, "feedback %s was merged into another; change that one", f.Ref)
	}
	return nil
}

// ApplyTriage records a triage. A new category moves the reply-by
// deadline to that category's, from when the feedback came in.
func ApplyTriage(f Feedback, a authz.Actor, now time.Time, t Triage) (Feedback, error) {
	if err := authz.Require(a, authz.TriageFeedback); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	t.Normalize()
	if err := t.Validate(); err != nil {
		return f, err
	}
	if t.Category != f.Category {
		f.ReplyDue = f.CreatedAt.Add(ReplyWithin(t.Category))
	}
	f.Category, f.CrisisID, f.Priority, f.OwnerID, f.Tags = t.Category, t.CrisisID, t.Priority, t.OwnerID, t.Tags
	if f.State == New {
		f.State = Triaged
	}
	f.UpdatedAt = now
	f.Steps = step(f, "triage", a, now, string(t.Category))
	return f, nil
}

// text checks a staff text of at most MaxMessage characters.
func text(field, s string) (string, error) {
	s = strings.TrimSpace(plaintext.Normalize(s))
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return s, fault.Field(field, "write it")
	case n > MaxMessage:
		return s, fault.Field(field, "is %d characters long; at most %d are taken", n, MaxMessage)
	}
	return s, plaintext.Problem(field, s)
}

// ReplyChannelOf is the channel a reply to f goes by: back to the
// e-mail address or the number it came from, or to the contact given;
// "" when there is none (the reply is shown at /feedback/{ref} only).
func ReplyChannelOf(f Feedback) Channel {
	switch f.ContactKind() {
	case "email":
		return Email
	case "sms":
		return SMS
	}
	return ""
}

// Reply records the answer; the store sends it by ReplyChannel. A second
// reply replaces the first on the lookup page and is sent again.
func Reply(f Feedback, a authz.Actor, now time.Time, answer string) (Feedback, error) {
	if err := authz.Require(a, authz.ReplyFeedback); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	answer, err := text("reply", answer)
	if err != nil {
		return f, err
	}
	f.Reply, f.ReplyChannel, f.RepliedAt, f.RepliedBy = answer, ReplyChannelOf(f), now, a.UserID
	if f.State.Open() {
		f.State = Replied
	}
	f.UpdatedAt = now
	f.Steps = step(f, "reply", a, now, string(f.ReplyChannel))
	return f, nil
}

// TakeAction records what was done about it.
func TakeAction(f Feedback, a authz.Actor, now time.Time, note string) (Feedback, error) {
	if err := authz.Require(a, authz.ReplyFeedback); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	note, err := text("action", note)
	if err != nil {
		return f, err
	}
	f.ActionNote, f.ActionAt, f.ActionBy, f.UpdatedAt = note, now, a.UserID, now
	f.Steps = step(f, "action", a, now, "")
	return f, nil
}

// Close closes feedback that needs nothing more: replied, or not
// answerable (spam, no question).
func Close(f Feedback, a authz.Actor, now time.Time, note string) (Feedback, error) {
	if err := authz.Require(a, authz.TriageFeedback); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	if f.State == Closed {
		return f, fault.New(fault.Conflict, "feedback %s is already closed", f.Ref)
	}
	f.State, f.UpdatedAt = Closed, now
	f.Steps = step(f, "close", a, now, strings.TrimSpace(note))
	return f, nil
}

// Merge makes dup a duplicate of into: dup is merged and waits for no
// reply; into takes dup's tags. into must not be dup nor merged itself.
func Merge(dup, into Feedback, a authz.Actor, now time.Time) (Feedback, Feedback, error) {
	if err := authz.Require(a, authz.TriageFeedback); err != nil {
		return dup, into, err
	}
	switch {
	case dup.ID == into.ID:
		return dup, into, fault.Field("into", "feedback is not merged into itself")
	case into.State == Merged:
		return dup, into, fault.Field("into", "%s was itself merged; merge into the one it was merged into", into.Ref)
	}
	if err := live(dup); err != nil {
		return dup, into, err
	}
	dup.State, dup.MergedInto, dup.UpdatedAt = Merged, into.ID, now
	dup.Steps = step(dup, "merge", a, now, into.Ref)
	for _, t := range dup.Tags {
		if !slices.Contains(into.Tags, t) && len(into.Tags) < MaxTags {
			into.Tags = append(into.Tags, t)
		}
	}
	into.UpdatedAt = now
	into.Steps = step(into, "absorb", a, now, dup.Ref)
	return dup, into, nil
}

// Publish puts a question and its answer in the FAQ of the feedback's
// crisis, in the words staff choose (not the sender's: no personal
// detail reaches the public page). It needs a crisis and a reply.
func Publish(f Feedback, a authz.Actor, now time.Time, question, answer string) (Feedback, error) {
	if err := authz.Require(a, authz.PublishFAQ); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	if f.CrisisID == 0 {
		return f, fault.Field("crisis_id", "triage it to a crisis first: the FAQ is a crisis's")
	}
	if f.RepliedAt.IsZero() {
		return f, fault.New(fault.Conflict, "reply to feedback %s before publishing its answer", f.Ref)
	}
	q, err := text("question", question)
	if err != nil {
		return f, err
	}
	ans, err := text("answer", answer)
	if err != nil {
		return f, err
	}
	f.FAQ = FAQ{Question: q, Answer: ans, PublishedAt: now, PublishedBy: a.UserID}
	f.UpdatedAt = now
	f.Steps = step(f, "publish", a, now, "")
	return f, nil
}

// Unpublish takes the answer out of the FAQ.
func Unpublish(f Feedback, a authz.Actor, now time.Time) (Feedback, error) {
	if err := authz.Require(a, authz.PublishFAQ); err != nil {
		return f, err
	}
	if !f.FAQ.Published() {
		return f, fault.New(fault.Conflict, "feedback %s has no answer in the FAQ", f.Ref)
	}
	f.FAQ.PublishedAt, f.FAQ.PublishedBy, f.UpdatedAt = time.Time{}, 0, now
	f.Steps = step(f, "unpublish", a, now, "")
	return f, nil
}

// LinkCorrection links feedback that reported an error in a notice to
// the correction notice it caused; the store checks that correctionID is
// a correction. The category becomes Error.
func LinkCorrection(f Feedback, a authz.Actor, now time.Time, correctionID int64) (Feedback, error) {
	if err := authz.Require(a, authz.PublishFAQ); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	if correctionID <= 0 {
		return f, fault.Field("correction_id", "choose the correction notice")
	}
	if f.Category != Error {
		f.Category, f.ReplyDue = Error, f.CreatedAt.Add(ReplyWithin(Error))
	}
	f.CorrectionID, f.UpdatedAt = correctionID, now
	f.Steps = step(f, "link_correction", a, now, "")
	return f, nil
}

// LinkRumour records by a that f mentions rumour rumourID (0 unlinks): the
// rumour register counts and lists the questions that mention each rumour.
func LinkRumour(f Feedback, a authz.Actor, now time.Time, rumourID int64) (Feedback, error) {
	if err := authz.Require(a, authz.TriageFeedback); err != nil {
		return f, err
	}
	if err := live(f); err != nil {
		return f, err
	}
	if rumourID < 0 {
		return f, fault.Field("rumour_id", "choose a rumour of the register")
	}
	f.RumourID, f.UpdatedAt = rumourID, now
	f.Steps = step(f, "link_rumour", a, now, "")
	return f, nil
}
