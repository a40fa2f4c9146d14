package kpi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Report is a period's evaluation report: the figures as computed when
// it was generated, stored with the definition version of each, the
// office's commentary, and the approver's signature.
type Report struct {
	ID         int64
	Period     Period
	TypeID     int64 // 0: every type
	Level      int   // 0: every level
	Figures    []Figure
	Versions   map[Key]int    // the definition version of each figure
	Summary    string         // the overall commentary
	Commentary map[Key]string // a comment per figure
	AuthorID   int64
	SignedBy   int64
	SignedAt   time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Lock       int
}

// Signed reports whether an approver signed the report.
func (r Report) Signed() bool { return !r.SignedAt.IsZero() }

// NewReport is the report of scope s over period p computed from defs and d.
func NewReport(p Period, typeID int64, level int, defs Set, d Data, author int64, now time.Time) Report {
	s := Scope{From: p.Start, To: p.End(), TypeID: typeID, Level: level}
	r := Report{Period: p, TypeID: typeID, Level: level, Figures: Compute(defs, d, s), Versions: map[Key]int{},
		Commentary: map[Key]string{}, AuthorID: author, CreatedAt: now, UpdatedAt: now}
	for _, k := range Keys {
		r.Versions[k] = defs[k].Version
	}
	return r
}

// Comment checks the commentary of a report: only before it is signed,
// each comment at most 5000 characters of plain text.
func Comment(r Report, a authz.Actor, summary string, per map[Key]string) (Report, error) {
	if err := authz.Require(a, authz.EditEvaluation); err != nil {
		return r, err
	}
	if r.Signed() {
		return r, fault.New(fault.Conflict, "the report is signed: its commentary no longer changes")
	}
	var f fault.Fields
	check := func(field, s string) string {
		s = strings.TrimSpace(plaintext.Normalize(s))
		if utf8.RuneCountInString(s) > 5000 {
			f.Add(field, "at most 5000 characters")
		}
		plaintext.Check(&f, field, s)
		return s
	}
	r.Summary = check("summary", summary)
	r.Commentary = map[Key]string{}
	for k, s := range per {
		if s = check("commentary."+string(k), s); s != "" {
			r.Commentary[k] = s
		}
	}
	return r, f.Err()
}

// Sign is an approver's signature on report r at now: never by its own
// author, never twice.
func Sign(r Report, a authz.Actor, now time.Time) (Report, error) {
	if err := authz.Require(a, authz.ApproveEvaluation); err != nil {
		return r, err
	}
	if a.UserID == r.AuthorID {
		return r, fault.New(fault.Forbidden, "an evaluation report is never signed by its own author")
	}
	if r.Signed() {
		return r, fault.New(fault.Conflict, "the report is already signed")
	}
	r.SignedBy, r.SignedAt = a.UserID, now
	return r, nil
}

// CheckAudit checks an internal audit sample: of a published public
// notice only, with a finding when it was not accurate.
func CheckAudit(a authz.Actor, s AuditSample, published, public bool) (AuditSample, error) {
	if err := authz.Require(a, authz.AuditAccuracy); err != nil {
		return s, err
	}
	var f fault.Fields
	s.Finding = strings.TrimSpace(plaintext.Normalize(s.Finding))
	switch {
	case s.NoticeID == 0:
		f.Add("notice_id", "choose a published public notice")
	case !published || !public:
		f.Add("notice_id", "only a published public notice is sampled: this one is not public")
	}
	if !s.Accurate && s.Finding == "" {
		f.Add("finding", "say what did not match the facts")
	}
	if utf8.RuneCountInString(s.Finding) > 5000 {
		f.Add("finding", "at most 5000 characters")
	}
	plaintext.Check(&f, "finding", s.Finding)
	if _, err := ParsePeriod(s.Quarter); err != nil || !strings.Contains(strings.ToUpper(s.Quarter), "Q") {
		f.Add("quarter", "write the quarter sampled, like 2026-Q3")
	}
	s.ReviewerID = a.UserID
	return s, f.Err()
}

// Service is the evaluation's storage and computation. Errors: invalid
// (with fields) for a bad definition, sample or commentary; forbidden for
// a role without the action or an author signing; not_found; conflict
// for a stale lock or a signed report.
type Service interface {
	// Definitions lists every stored version of every figure, oldest first.
	Definitions(ctx context.Context) ([]Definition, error)
	// Define stores a new version of a figure's definition.
	Define(ctx context.Context, a authz.Actor, d Definition) (Definition, error)
	// Data loads the facts of [from, to) for computing figures.
	Data(ctx context.Context, from, to time.Time) (Data, error)
	// Generate computes and stores the report of a period.
	Generate(ctx context.Context, a authz.Actor, p Period, typeID int64, level int) (Report, error)
	Report(ctx context.Context, id int64) (Report, error)
	Reports(ctx context.Context) ([]Report, error)
	Comment(ctx context.Context, a authz.Actor, id int64, lock int, summary string, per map[Key]string) (Report, error)
	Sign(ctx context.Context, a authz.Actor, id int64) (Report, error)
	// Audit records an internal audit sample.
	Audit(ctx context.Context, a authz.Actor, s AuditSample) (AuditSample, error)
	Audits(ctx context.Context, quarter string) ([]AuditSample, error)
	// Coverage is the coverage loop at now, one row per crisis type.
	Coverage(ctx context.Context, now time.Time) ([]Coverage, error)
}
