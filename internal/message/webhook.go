package message

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/notice"
)

// The webhook event types.
const (
	EventPublished = "notice.published" // an alert or an update
	EventCorrected = "notice.corrected"
	EventCancelled = "notice.cancelled"
	EventAllClear  = "notice.all_clear"
)

// EventType is the webhook event type of a notice of kind k.
func EventType(k notice.Kind) string {
	switch k {
	case notice.Correction:
		return EventCorrected
	case notice.Cancellation:
		return EventCancelled
	case notice.AllClear:
		return EventAllClear
	default:
		return EventPublished
	}
}

// Payload is the JSON body of a webhook. Receivers may decode into it.
type Payload struct {
	Type string `json:"type"` // EventType of the notice's kind
	// Timestamp is when the event happened: the notice's publication. It
	// is the same in every repeat of the delivery.
	Timestamp time.Time `json:"timestamp"`
	Data      Data      `json:"data"`
	// Recipient names who the delivery is for (e.g. the endpoint), so that
	// a receiver shared by several subscriptions can tell them apart.
	Recipient string `json:"recipient,omitempty"`
}

// Data is the notice in a webhook body.
type Data struct {
	ID               int64              `json:"id"`
	CrisisID         int64              `json:"crisis_id,omitempty"` // absent for a standalone announcement
	Kind             string             `json:"kind"`
	Audience         string             `json:"audience"`
	Exercise         bool               `json:"exercise"` // a drill: never act on it as real
	PublishedAt      time.Time          `json:"published_at,omitzero"`
	ReferencesID     int64              `json:"references_id,omitempty"`     // the notice a follow-up follows
	CorrectionReason string             `json:"correction_reason,omitempty"` // corrections only
	Languages        []string           `json:"languages"`                   // the keys of Content, in the notice's order
	Content          map[string]Content `json:"content"`
	CAP              CAP                `json:"cap,omitzero"`
	Links            WebLinks           `json:"links,omitzero"`
}

// Content is the text of the notice in one language.
type Content struct {
	Headline    string `json:"headline"`
	Body        string `json:"body"`
	Instruction string `json:"instruction,omitempty"`
	Contact     string `json:"contact,omitempty"`
}

// CAP holds the notice's CAP 1.2 fields.
type CAP struct {
	Event     string    `json:"event,omitempty"`
	Category  string    `json:"category,omitempty"`
	Urgency   string    `json:"urgency,omitempty"`
	Severity  string    `json:"severity,omitempty"`
	Certainty string    `json:"certainty,omitempty"`
	Effective time.Time `json:"effective,omitzero"`
	Expires   time.Time `json:"expires,omitzero"`
	Area      Area      `json:"area,omitzero"`
}

// Area is where the notice applies.
type Area struct {
	Description string    `json:"description,omitempty"`
	Polygons    []string  `json:"polygons,omitempty"`
	Circles     []string  `json:"circles,omitempty"`
	Geocodes    []Geocode `json:"geocodes,omitempty"`
}

// Geocode is a named area code.
type Geocode struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// WebLinks are the notice's public addresses.
type WebLinks struct {
	HTML string `json:"html,omitempty"`
	CAP  string `json:"cap,omitempty"`
}

// NewPayload builds the webhook payload of n for recipient. Links.Unsubscribe
// is not part of it.
func NewPayload(n notice.Notice, l Links, recipient string) Payload {
	d := Data{ID: n.ID, CrisisID: n.CrisisID, Kind: string(n.Kind), Audience: string(n.Audience),
		Exercise: n.Exercise, PublishedAt: n.PublishedAt.UTC(), ReferencesID: n.References,
		CorrectionReason: string(n.CorrectionReason), Languages: n.Languages(),
		Content: make(map[string]Content, len(n.Contents)),
		CAP: CAP{Event: n.CAP.Event, Category: n.CAP.Category, Urgency: n.CAP.Urgency, Severity: n.CAP.Severity,
			Certainty: n.CAP.Certainty, Effective: n.CAP.Effective.UTC(), Expires: n.CAP.Expires.UTC(),
			Area: Area{Description: n.CAP.Area.Description, Polygons: n.CAP.Area.Polygons, Circles: n.CAP.Area.Circles}},
		Links: WebLinks{HTML: l.Notice, CAP: l.CAP}}
	for _, c := range n.Contents {
		d.Content[c.Language] = Content{Headline: c.Headline, Body: c.Body, Instruction: c.Instruction, Contact: c.Contact}
	}
	for _, g := range n.CAP.Area.Geocodes {
		d.CAP.Area.Geocodes = append(d.CAP.Area.Geocodes, Geocode{Name: g.Name, Value: g.Value})
	}
	return Payload{Type: EventType(n.Kind), Timestamp: n.PublishedAt.UTC(), Data: d, Recipient: recipient}
}

// Prepared is a notice's webhook body encoded once, for many recipients.
// It is immutable and safe for concurrent use.
type Prepared struct {
	// Type is the event type, for the webhook's headers.
	Type string
	head []byte // the body without its closing brace
}

// Prepare encodes n's webhook body once; Body then adds each recipient.
// It fails only on a notice JSON cannot carry (a year past 9999).
func (r *Renderer) Prepare(n notice.Notice, l Links) (*Prepared, error) {
	return Prepare(n, l)
}

// Prepare is (*Renderer).Prepare, which needs no catalogue.
func Prepare(n notice.Notice, l Links) (*Prepared, error) {
	p := NewPayload(n, l, "")
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("webhook body of notice %d: %w", n.ID, err)
	}
	return &Prepared{Type: p.Type, head: b[:len(b)-1]}, nil
}

// Body is the webhook body for recipient: the same bytes json.Marshal
// makes of NewPayload(n, l, recipient).
func (p *Prepared) Body(recipient string) []byte {
	if recipient == "" {
		out := make([]byte, 0, len(p.head)+1)
		return append(append(out, p.head...), '}')
	}
	out := make([]byte, 0, len(p.head)+len(`,"recipient":""}`)+len(recipient)+8)
	out = append(out, p.head...)
	out = append(out, `,"recipient":`...)
	out = appendJSONString(out, recipient)
	return append(out, '}')
}

// WebhookBody is the webhook body of n for recipient. A fan-out calls
// Prepare once and Body per recipient instead.
func (r *Renderer) WebhookBody(n notice.Notice, l Links, recipient string) ([]byte, error) {
	p, err := Prepare(n, l)
	if err != nil {
		return nil, err
	}
	return p.Body(recipient), nil
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters and U+2028/U+2029 too; invalid UTF-8 becomes
// U+FFFD), so that Body matches json.Marshal byte for byte.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
