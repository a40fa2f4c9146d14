package press

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// DeadlineKind is the kind of the reply-by clock of an inquiry.
const DeadlineKind = "inquiry_reply"

// SubjectKind names an inquiry as the subject of a deadline.
const SubjectKind = "inquiry"

// DefaultReplyWithin is how long the desk has to reply when the form does
// not say otherwise.
const DefaultReplyWithin = 2 * time.Hour

// Inquiry is one question from the media, logged with who asked, how,
// when, who owns the reply and by when it is due.
type Inquiry struct {
	ID           int64
	CrisisID     int64 // 0 when not about a crisis
	JournalistID int64 // 0 when the asker is not in the directory
	Asker        string
	Outlet       string
	Channel      string
	Question     string
	ReceivedAt   time.Time
	OwnerID      int64
	ReplyBy      time.Time
	Reply        string
	RepliedAt    time.Time // zero while open
	RepliedBy    int64
	NoticeIDs    []int64 // the notices that answered it
	CreatedBy    int64
	CreatedAt    time.Time
	Version      int64
}

// Ref is the inquiry's reference, e.g. MQ-0042.
func (q Inquiry) Ref() string { return fmt.Sprintf("MQ-%04d", q.ID) }

// Answered reports whether the reply was given.
func (q Inquiry) Answered() bool { return !q.RepliedAt.IsZero() }

// Late reports whether the reply was given (or is still missing) after
// the reply-by time, as seen at now.
func (q Inquiry) Late(now time.Time) bool {
	if q.Answered() {
		return q.RepliedAt.After(q.ReplyBy)
	}
	return now.After(q.ReplyBy)
}

// Normalize trims the inquiry's text.
func (q *Inquiry) Normalize() {
	q.Asker, q.Outlet, q.Channel = strings.TrimSpace(q.Asker), strings.TrimSpace(q.Outlet), strings.TrimSpace(q.Channel)
	q.Question = plaintext.Normalize(strings.TrimSpace(q.Question))
	q.ReceivedAt, q.ReplyBy = q.ReceivedAt.UTC(), q.ReplyBy.UTC()
}

// Validate checks a new inquiry, naming the field of each problem.
func (q Inquiry) Validate() error {
	var f fault.Fields
	if q.JournalistID == 0 && q.Asker == "" {
		f.Add("asker", "name who asked, or choose a journalist")
	}
	if utf8.RuneCountInString(q.Asker) > 200 {
		f.Add("asker", "must be at most 200 characters")
	}
	plaintext.CheckLine(&f, "asker", q.Asker)
	if utf8.RuneCountInString(q.Outlet) > 200 {
		f.Add("outlet", "must be at most 200 characters")
	}
	plaintext.CheckLine(&f, "outlet", q.Outlet)
	if !slices.Contains(InquiryChannels, q.Channel) {
		f.Add("channel", "%q is not a channel: %s", q.Channel, strings.Join(InquiryChannels, ", "))
	}
	if q.Question == "" || utf8.RuneCountInString(q.Question) > 4000 {
		f.Add("question", "must be 1–4000 characters")
	}
	plaintext.Check(&f, "question", q.Question)
	if q.ReceivedAt.IsZero() {
		f.Add("received_at", "is required")
	}
	if q.OwnerID == 0 {
		f.Add("owner_id", "choose who owns the reply")
	}
	if q.ReplyBy.IsZero() || !q.ReplyBy.After(q.ReceivedAt) {
		f.Add("reply_by", "must be after the time the inquiry came in")
	}
	return f.Err()
}

// Answer records the reply given to an open inquiry by actor at now, with
// the notices that answered it.
func Answer(q Inquiry, actor int64, now time.Time, reply string, notices []int64) (Inquiry, error) {
	if q.Answered() {
		return q, fault.New(fault.Conflict, "inquiry %s was already answered", q.Ref())
	}
	reply = plaintext.Normalize(strings.TrimSpace(reply))
	var f fault.Fields
	if reply == "" || utf8.RuneCountInString(reply) > 8000 {
		f.Add("reply", "must be 1–8000 characters")
	}
	plaintext.Check(&f, "reply", reply)
	if err := f.Err(); err != nil {
		return q, err
	}
	var ids []int64
	for _, id := range notices {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	q.Reply, q.RepliedAt, q.RepliedBy, q.NoticeIDs = reply, now.UTC(), actor, ids
	return q, nil
}
