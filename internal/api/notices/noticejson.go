package notices

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
)

// flexID is an id that outside tools send as a JSON number or as a string
// of digits ("42"); an empty string is 0.
type flexID int64

// UnmarshalJSON reads a number or a string of digits.
func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
		if len(b) == 0 {
			*f = 0
			return nil
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 {
		return errors.New("must be a whole number of 0 or more, or a string of digits")
	}
	*f = flexID(n)
	return nil
}

// Schema accepts both forms.
func (flexID) Schema(huma.Registry) *huma.Schema {
	zero := 0.0
	return &huma.Schema{Description: "An id, as a number or a string of digits; 0 or absent for none",
		OneOf: []*huma.Schema{{Type: huma.TypeInteger, Format: "int64", Minimum: &zero},
			{Type: huma.TypeString, Pattern: `^\s*[0-9]*\s*$`}}}
}

type noticeKind string

// Schema lists the kinds.
func (noticeKind) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("What the notice does; corrections, cancellations and all-clears are made from the notice they follow",
		notice.Kinds...)
}

type noticeAudience string

// Schema lists the audiences.
func (noticeAudience) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Whom the notice is for", notice.Audiences...)
}

type noticeStatus string

// Schema lists the statuses.
func (noticeStatus) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Where the notice stands in its review", notice.Statuses...)
}

type noticeReason string

// Schema lists the reasons.
func (noticeReason) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Why a correction is made: the share corrected for factual error is the accuracy KPI", notice.Reasons...)
}

// NoticeContent is the text of a notice in one language.
type NoticeContent struct {
	Headline    string `json:"headline" doc:"At most 160 characters"`
	Body        string `json:"body"`
	Instruction string `json:"instruction,omitempty" doc:"What the public should do"`
	Contact     string `json:"contact,omitempty"`
}

// Geocode is a named area code.
type Geocode struct {
	Name  string `json:"name" doc:"e.g. district"`
	Value string `json:"value" doc:"e.g. Wan Chai"`
}

// NoticeArea is where a notice applies.
type NoticeArea struct {
	Description string    `json:"description,omitempty"`
	Polygons    []string  `json:"polygons,omitempty" doc:"\"lat,lon lat,lon …\", at least 4 points, the first repeated as the last"`
	Circles     []string  `json:"circles,omitempty" doc:"\"lat,lon radius-km\""`
	Geocodes    []Geocode `json:"geocodes,omitempty"`
}

// NoticeCAP holds the CAP 1.2 fields shared by every language.
type NoticeCAP struct {
	Event     string     `json:"event,omitempty" doc:"Required for a public notice, e.g. Typhoon"`
	Category  string     `json:"category,omitempty" doc:"Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE or Other"`
	Urgency   string     `json:"urgency,omitempty" doc:"Immediate, Expected, Future, Past or Unknown"`
	Severity  string     `json:"severity,omitempty" doc:"Extreme, Severe, Moderate, Minor or Unknown"`
	Certainty string     `json:"certainty,omitempty" doc:"Observed, Likely, Possible, Unlikely or Unknown"`
	Effective *time.Time `json:"effective,omitempty" doc:"RFC 3339"`
	Expires   *time.Time `json:"expires,omitempty" doc:"RFC 3339; after effective"`
	Area      NoticeArea `json:"area,omitzero"`
}

func (c NoticeCAP) domain() notice.CAPInfo {
	out := notice.CAPInfo{Event: c.Event, Category: c.Category, Urgency: c.Urgency, Severity: c.Severity,
		Certainty: c.Certainty, Area: notice.Area{Description: c.Area.Description,
			Polygons: slices.Clone(c.Area.Polygons), Circles: slices.Clone(c.Area.Circles)}}
	if c.Effective != nil {
		out.Effective = c.Effective.UTC()
	}
	if c.Expires != nil {
		out.Expires = c.Expires.UTC()
	}
	for _, g := range c.Area.Geocodes {
		out.Area.Geocodes = append(out.Area.Geocodes, notice.Geocode{Name: g.Name, Value: g.Value})
	}
	return out
}

func toNoticeCAP(c notice.CAPInfo) NoticeCAP {
	out := NoticeCAP{Event: c.Event, Category: c.Category, Urgency: c.Urgency, Severity: c.Severity,
		Certainty: c.Certainty, Effective: kit.TimePtr(c.Effective), Expires: kit.TimePtr(c.Expires),
		Area: NoticeArea{Description: c.Area.Description, Polygons: c.Area.Polygons, Circles: c.Area.Circles}}
	for _, g := range c.Area.Geocodes {
		out.Area.Geocodes = append(out.Area.Geocodes, Geocode{Name: g.Name, Value: g.Value})
	}
	return out
}

// NoticeStep is one move of a notice through its workflow.
type NoticeStep struct {
	Action  string    `json:"action" doc:"submit, approve, return, publish, fast_path, review_after or edit"`
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment"`
}

// Notice is one statement in one or more languages.
type Notice struct {
	ID               int64                    `json:"id"`
	Status           noticeStatus             `json:"status"`
	CrisisID         int64                    `json:"crisis_id" doc:"0 for a standalone announcement"`
	Kind             noticeKind               `json:"kind"`
	Audience         noticeAudience           `json:"audience"`
	Departments      []int64                  `json:"departments" nullable:"false" doc:"Internal audience: the departments told"`
	Roles            []string                 `json:"roles" nullable:"false" doc:"Internal audience: the team roles told"`
	Experts          bool                     `json:"experts" doc:"Internal audience: the active outside experts are told too"`
	Exercise         bool                     `json:"exercise" doc:"A drill: marked 演練 / EXERCISE everywhere"`
	Languages        []string                 `json:"languages" nullable:"false" doc:"The languages of content, in the order they are shown"`
	Content          map[string]NoticeContent `json:"content" doc:"The text, keyed by BCP 47 language"`
	CAP              NoticeCAP                `json:"cap"`
	References       int64                    `json:"references" doc:"The notice this one corrects, cancels or clears; 0 for none"`
	CorrectionReason string                   `json:"correction_reason" doc:"Corrections only: factual, wording or new_information"`
	TemplatePlanID   int64                    `json:"template_plan_id" doc:"The plan version whose template started the draft; 0 for none"`
	FastPath         bool                     `json:"fast_path" doc:"Published by the commander before review"`
	NeedsReview      bool                     `json:"needs_review" doc:"A fast-path notice still waiting for its review"`
	AuthorID         int64                    `json:"author_id"`
	ApproverID       int64                    `json:"approver_id"`
	PublisherID      int64                    `json:"publisher_id"`
	ReviewerID       int64                    `json:"reviewer_id"`
	SubmittedAt      *time.Time               `json:"submitted_at"`
	ApprovedAt       *time.Time               `json:"approved_at"`
	PublishedAt      *time.Time               `json:"published_at"`
	ReviewedAt       *time.Time               `json:"reviewed_at"`
	Steps            []NoticeStep             `json:"steps" nullable:"false" doc:"Who did what, in order"`
	CreatedAt        time.Time                `json:"created_at"`
	UpdatedAt        time.Time                `json:"updated_at"`
	Lock             int64                    `json:"lock" doc:"Send it back with a change"`
}

func toNotice(n notice.Notice) Notice {
	out := Notice{ID: n.ID, Status: noticeStatus(n.Status), CrisisID: n.CrisisID, Kind: noticeKind(n.Kind),
		Audience: noticeAudience(n.Audience), Departments: kit.OrEmpty(n.Departments),
		Roles: kit.Convert(n.Roles, func(r authz.Role) string { return string(r) }), Experts: n.Experts,
		Exercise: n.Exercise, Languages: kit.OrEmpty(n.Languages()), Content: map[string]NoticeContent{},
		CAP: toNoticeCAP(n.CAP), References: n.References, CorrectionReason: string(n.CorrectionReason),
		TemplatePlanID: n.TemplatePlanID, FastPath: n.FastPath, NeedsReview: n.NeedsReview(),
		AuthorID: n.AuthorID, ApproverID: n.ApproverID, PublisherID: n.PublisherID, ReviewerID: n.ReviewerID,
		SubmittedAt: kit.TimePtr(n.SubmittedAt), ApprovedAt: kit.TimePtr(n.ApprovedAt), PublishedAt: kit.TimePtr(n.PublishedAt),
		ReviewedAt: kit.TimePtr(n.ReviewedAt), CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Lock: n.Lock,
		Steps: kit.Convert(n.Steps, func(s notice.Step) NoticeStep {
			return NoticeStep{Action: s.Action, UserID: s.UserID, Name: s.Name, At: s.At, Comment: s.Comment}
		})}
	for _, c := range n.Contents {
		out.Content[c.Language] = NoticeContent{Headline: c.Headline, Body: c.Body, Instruction: c.Instruction, Contact: c.Contact}
	}
	return out
}

// contents turns the content object into the domain's list, in the order
// the domain keeps (notice.Normalize), and returns for each position the
// key it came from, so that errors about contents[i] name the key sent.
func contents(m map[string]NoticeContent) ([]notice.Content, []string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := notice.Notice{}
	for _, k := range keys {
		c := m[k]
		n.Contents = append(n.Contents, notice.Content{Language: k, Headline: c.Headline, Body: c.Body,
			Instruction: c.Instruction, Contact: c.Contact})
	}
	notice.Normalize(&n)
	from := map[string]string{} // canonical (or as sent, when invalid) → key sent
	for _, k := range keys {
		l, err := notice.CanonicalLanguage(k)
		if err != nil {
			l = strings.TrimSpace(k)
		}
		from[l] = k
	}
	at := make([]string, len(n.Contents))
	for i, c := range n.Contents {
		at[i] = from[c.Language]
	}
	return n.Contents, at
}

var contentsField = regexp.MustCompile(`^contents\[(\d+)\](.*)$`)

// noticeFields locates the domain's invalid fields in the request body:
// contents[i].headline becomes body.content.<language>.headline, where
// the language is the key sent (keys, from contents), and the rest
// body.<field>, with renames for the fields the body calls otherwise.
func noticeFields(err error, keys []string, renames map[string]string) error {
	return kit.MapFields(err, func(field string) string {
		switch m := contentsField.FindStringSubmatch(field); {
		case m != nil:
			i, _ := strconv.Atoi(m[1])
			if i < len(keys) {
				return "body.content." + keys[i] + m[2]
			}
			return "body.content"
		case field == "contents":
			return "body.content"
		case renames[field] != "":
			return "body." + renames[field]
		}
		return "body." + field
	})
}
