package crisis

import (
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// EntryKind says who wrote a timeline entry.
type EntryKind string

// Timeline entry kinds.
const (
	SystemEntry EntryKind = "system" // written by crisisdesk: declared, activated, level changed…
	HumanEntry  EntryKind = "human"  // written by a person
)

// Entry is one line of a crisis's append-only timeline.
type Entry struct {
	ID       int64
	CrisisID int64
	At       time.Time
	Kind     EntryKind
	Event    string // for system entries: declared, activated, level, task_done, recovering, closed…
	ActorID  int64
	Actor    string
	Text     string // a person's words; empty on system entries, which have Msg
	Msg      Msg    // a system entry's text, rendered in each reader's language
	// An optional attachment: a photo, a situation report.
	AttachmentName string
	AttachmentType string
	AttachmentSize int64
}

// MaxAttachment is the largest attachment a timeline entry takes.
const MaxAttachment = 10 << 20

// ValidateNote checks a human entry, as Text gives it.
func ValidateNote(text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return fault.Field("text", "write what happened")
	}
	if utf8.RuneCountInString(text) > 5000 {
		return fault.Field("text", "must be at most 5000 characters")
	}
	return plaintext.Problem("text", text)
}

// ValidateReason checks the reason given for a change, such as a level
// change, named field; it may be required.
func ValidateReason(field, text string, required bool) error {
	if required && strings.TrimSpace(text) == "" {
		return fault.Field(field, "say why")
	}
	if utf8.RuneCountInString(text) > 5000 {
		return fault.Field(field, "must be at most 5000 characters")
	}
	return plaintext.Problem(field, text)
}

// Review is the post-crisis review opened at closing.
type Review struct {
	CrisisID    int64
	Lessons     string
	ActionItems []ActionItem
	UpdatedAt   time.Time
	Version     int64
}

// ActionItem is an improvement to make after a crisis.
type ActionItem struct {
	Text    string    `json:"text"`
	OwnerID int64     `json:"owner_id,omitempty"`
	DueAt   time.Time `json:"due_at,omitzero"`
	Done    bool      `json:"done"`
}
