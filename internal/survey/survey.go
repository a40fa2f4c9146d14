// Package survey holds the public satisfaction surveys sent after a
// crisis: a small builder (scale 1–5, single choice, multiple choice,
// free text) with every text in each office language, the default
// post-crisis questionnaire on the plan's measures (timeliness, clarity,
// usefulness, trust), the month within which a closed crisis's survey
// must go out, and the rules of an answer. Answers are anonymous: the
// store keeps them with no address and no link to the invitation they
// came through, while each invitation is answerable once. Plain Go: the
// store keeps surveys and the surfaces show them.
package survey

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Kind is the type of a question.
type Kind string

// The question types.
const (
	Scale    Kind = "scale"    // 1 (worst) to 5 (best)
	Single   Kind = "single"   // one of the options
	Multiple Kind = "multiple" // any of the options
	Text     Kind = "text"     // free text
)

// Kinds lists the question types in the order the builder offers them.
var Kinds = []Kind{Scale, Single, Multiple, Text}

// Valid reports whether k is a known type.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// State is where a survey stands.
type State string

// The states of a survey.
const (
	Draft  State = "draft"  // being written; its clock runs
	Sent   State = "sent"   // invitations out; answers taken
	Closed State = "closed" // no more answers
)

// Limits of the builder and of an answer.
const (
	MaxQuestions = 30
	MaxOptions   = 12
	MaxLabel     = 500  // characters of a question's or option's text
	MaxAnswer    = 2000 // characters of a free-text answer
)

// SendWithin is how long after its crisis closes a survey must go out.
const SendWithin = 30 * 24 * time.Hour

// SendBy is when the survey of a crisis closed at closedAt must be out.
func SendBy(closedAt time.Time) time.Time { return closedAt.Add(SendWithin) }

// Texts are one text in each language, keyed by BCP 47 tag.
type Texts map[string]string

// In returns the text in lang, else in the first of fallbacks that has
// one.
func (t Texts) In(lang string, fallbacks ...string) string {
	if s := t[lang]; s != "" {
		return s
	}
	for _, l := range fallbacks {
		if s := t[l]; s != "" {
			return s
		}
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Option is a choice of a single- or multiple-choice question.
type Option struct {
	Key  string `json:"key"`
	Text Texts  `json:"text"`
}

// Question is one question of a survey.
type Question struct {
	Key      string   `json:"key"`
	Kind     Kind     `json:"kind"`
	Text     Texts    `json:"text"`
	Options  []Option `json:"options,omitempty"`
	Required bool     `json:"required,omitempty"`
}

// Survey is a questionnaire, usually of one closed crisis.
type Survey struct {
	ID        int64
	CrisisID  int64 // 0 for one of no crisis
	Title     Texts
	Questions []Question
	State     State
	SendBy    time.Time // the clock: out within a month of the crisis closing
	SentAt    time.Time
	ClosedAt  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	Lock      int64
	Invited   int // invitations sent
	Responses int // answers received
}

// Question returns the question with key.
func (s Survey) Question(key string) (Question, bool) {
	for _, q := range s.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// Late reports whether the survey went out (or is still not out) after
// its clock, at now.
func (s Survey) Late(now time.Time) bool {
	if s.SendBy.IsZero() {
		return false
	}
	if !s.SentAt.IsZero() {
		return s.SentAt.After(s.SendBy)
	}
	return now.After(s.SendBy)
}

// CanSend refuses to send a survey that is not a draft.
func (s Survey) CanSend() error {
	if s.State != Draft {
		return fault.New(fault.Conflict, "survey %d is %s: only a draft is sent", s.ID, s.State)
	}
	return nil
}

// CanAnswer refuses an answer to a survey that is not out.
func (s Survey) CanAnswer() error {
	if s.State != Sent {
		return fault.New(fault.Conflict, "survey %d takes no answers", s.ID)
	}
	return nil
}

// Normalize trims every text.
func (s *Survey) Normalize() {
	s.Title = trimTexts(s.Title)
	for i := range s.Questions {
		q := &s.Questions[i]
		q.Key, q.Text = strings.TrimSpace(q.Key), trimTexts(q.Text)
		for j := range q.Options {
			q.Options[j].Key, q.Options[j].Text = strings.TrimSpace(q.Options[j].Key), trimTexts(q.Options[j].Text)
		}
		if q.Kind == Scale || q.Kind == Text {
			q.Options = nil
		}
	}
}

func trimTexts(t Texts) Texts {
	out := Texts{}
	for l, s := range t {
		if s = plaintext.Normalize(strings.TrimSpace(s)); s != "" {
			out[l] = s
		}
	}
	return out
}

// Validate checks a survey: its title and every question and option in
// each of langs, the office's languages.
func (s Survey) Validate(langs []string) error {
	var f fault.Fields
	texts := func(field string, t Texts) {
		for _, l := range langs {
			switch n := utf8.RuneCountInString(t[l]); {
			case n == 0:
				f.Add(field+"."+l, "write it in %s", l)
			case n > MaxLabel:
				f.Add(field+"."+l, "must be at most %d characters", MaxLabel)
			}
			plaintext.CheckLine(&f, field+"."+l, t[l])
		}
	}
	texts("title", s.Title)
	switch {
	case len(s.Questions) == 0:
		f.Add("questions", "ask at least one question")
	case len(s.Questions) > MaxQuestions:
		f.Add("questions", "ask at most %d questions", MaxQuestions)
	}
	keys := map[string]bool{}
	for i, q := range s.Questions {
		at := "questions[" + strconv.Itoa(i) + "]"
		if !validKey(q.Key) || keys[q.Key] {
			f.Add(at+".key", "must be a short unique key of letters, digits and _")
		}
		keys[q.Key] = true
		if !q.Kind.Valid() {
			f.Add(at+".kind", "must be scale, single, multiple or text")
		}
		texts(at+".text", q.Text)
		if q.Kind == Single || q.Kind == Multiple {
			if len(q.Options) < 2 || len(q.Options) > MaxOptions {
				f.Add(at+".options", "give between 2 and %d options", MaxOptions)
			}
			opts := map[string]bool{}
			for j, o := range q.Options {
				oat := at + ".options[" + strconv.Itoa(j) + "]"
				if !validKey(o.Key) || opts[o.Key] {
					f.Add(oat+".key", "must be a short unique key of letters, digits and _")
				}
				opts[o.Key] = true
				texts(oat+".text", o.Text)
			}
		}
	}
	return f.Err()
}

func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Answer is one person's answer to one question: Scale for a scale,
// Choices for a choice, Text for free text.
type Answer struct {
	Question string   `json:"question"`
	Scale    int      `json:"scale,omitempty"`
	Choices  []string `json:"choices,omitempty"`
	Text     string   `json:"text,omitempty"`
}

// Empty reports whether the answer says nothing.
func (a Answer) Empty() bool { return a.Scale == 0 && len(a.Choices) == 0 && a.Text == "" }

// CheckResponse checks a person's answers against the survey and returns
// them cleaned: unanswered questions dropped, text trimmed. A question
// answered twice, an unknown question or option, a scale outside 1–5, or
// a required question left empty is refused, naming the question.
func CheckResponse(s Survey, answers []Answer) ([]Answer, error) {
	var f fault.Fields
	got := map[string]Answer{}
	for _, a := range answers {
		a.Text = plaintext.Normalize(strings.TrimSpace(a.Text))
		q, ok := s.Question(a.Question)
		if !ok {
			f.Add("answers", "survey %d has no question %q", s.ID, a.Question)
			continue
		}
		if _, dup := got[q.Key]; dup {
			f.Add(q.Key, "answered twice")
			continue
		}
		if a.Empty() {
			continue
		}
		switch q.Kind {
		case Scale:
			if a.Scale < 1 || a.Scale > 5 || len(a.Choices) > 0 || a.Text != "" {
				f.Add(q.Key, "choose from 1 to 5")
			}
		case Single, Multiple:
			if a.Scale != 0 || a.Text != "" || (q.Kind == Single && len(a.Choices) > 1) {
				f.Add(q.Key, "choose %s", map[Kind]string{Single: "one option", Multiple: "among the options"}[q.Kind])
			}
			seen := map[string]bool{}
			for _, c := range a.Choices {
				if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Key == c }) || seen[c] {
					f.Add(q.Key, "%q is not an option", c)
				}
				seen[c] = true
			}
		case Text:
			if a.Scale != 0 || len(a.Choices) > 0 {
				f.Add(q.Key, "write text")
			}
			if utf8.RuneCountInString(a.Text) > MaxAnswer {
				f.Add(q.Key, "must be at most %d characters", MaxAnswer)
			}
			plaintext.Check(&f, q.Key, a.Text)
		}
		got[q.Key] = a
	}
	var out []Answer
	for _, q := range s.Questions {
		a, ok := got[q.Key]
		if !ok {
			if q.Required {
				f.Add(q.Key, "is required")
			}
			continue
		}
		out = append(out, a)
	}
	return out, f.Err()
}

// Filter selects surveys for a list.
type Filter struct {
	CrisisID int64
	State    State
	Offset   int
	Limit    int
}
