// Package report is the programme's monthly progress report: on the first
// working day of each month a draft is generated for the previous month —
// progress, problems met, next steps and the figures — the project
// coordinator edits it, an approver who did not write it signs it, and it
// is submitted by the office's deadline to the recipients it names, by
// e-mail with the report attached (PDF and XLSX).
package report

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// State is where a report stands.
type State string

// A report is a draft until signed, then approved, then submitted.
const (
	Draft     State = "draft"
	Approved  State = "approved"
	Submitted State = "submitted"
)

// DeadlineKind names the clock the office sets for submitting a month's
// report.
const DeadlineKind = "monthly_report"

// Line is one generated line: a message key and its arguments, never an
// English sentence, and the desk page it links to.
type Line struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
	Link string            `json:"link,omitempty"`
}

// Figure is one of the month's figures.
type Figure struct {
	Key   string `json:"key"` // e.g. "report.figure.crises"
	Value int    `json:"value"`
}

// Body is the report's content: the generated lines and figures, and the
// coordinator's own text for each part.
type Body struct {
	Progress     []Line   `json:"progress"`
	Problems     []Line   `json:"problems"`
	NextSteps    []Line   `json:"next_steps"`
	Figures      []Figure `json:"figures"`
	ProgressText string   `json:"progress_text,omitempty"`
	ProblemsText string   `json:"problems_text,omitempty"`
	NextText     string   `json:"next_text,omitempty"`
}

// Report is one month's report.
type Report struct {
	ID          int64
	Period      Period
	Body        Body
	Recipients  []string // e-mail addresses: the project management department
	State       State
	AuthorID    int64 // who last edited it; 0 when only generated
	ApprovedBy  int64
	ApprovedAt  time.Time
	SubmittedAt time.Time
	DueAt       time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Lock        int64
}

// Period is a calendar month, in the office's zone.
type Period struct {
	Year  int
	Month time.Month
}

// String is the period as YYYY-MM.
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month)) }

// ParsePeriod reads YYYY-MM.
func ParsePeriod(s string) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Period{}, fault.Field("period", "give the month as YYYY-MM")
	}
	return Period{t.Year(), t.Month()}, nil
}

// Bounds are the first instant of the month and of the next, in loc.
func (p Period) Bounds(loc *time.Location) (from, to time.Time) {
	from = time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 1, 0)
}

// Next is the month after p.
func (p Period) Next() Period {
	t := time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	return Period{t.Year(), t.Month()}
}

// PeriodOf is the month t falls in, in loc.
func PeriodOf(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	return Period{t.Year(), t.Month()}
}

// FirstWorkingDay is the first Monday-to-Friday of the month of p, in loc.
func FirstWorkingDay(p Period, loc *time.Location) time.Time {
	d, _ := p.Bounds(loc)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Policy is the office's rule for the report: which working day of the
// following month it is due, at what hour, and to whom it goes by default.
type Policy struct {
	DueWorkingDay int // the Nth working day of the next month; default 5
	DueHour       int // local hour; default 17
	Recipients    []string
}

// DueAt is when the report on p is due under the policy.
func (pol Policy) DueAt(p Period, loc *time.Location) time.Time {
	n := pol.DueWorkingDay
	if n <= 0 {
		n = 5
	}
	h := pol.DueHour
	if h <= 0 {
		h = 17
	}
	d := FirstWorkingDay(p.Next(), loc)
	for n > 1 {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, loc)
}

// Source adds its part to a month's draft: the work plan its progress,
// the risk register the risks raised, drills their areas for improvement,
// and each area its figures. Fill is called with the month's bounds and
// adds to d.
type Source interface {
	Fill(ctx context.Context, from, to time.Time, d *Body) error
}

// Generate drafts the body of the report on [from, to) from the sources,
// keeping the coordinator's text of an earlier draft.
func Generate(ctx context.Context, sources []Source, from, to time.Time, keep Body) (Body, error) {
	b := Body{Progress: []Line{}, Problems: []Line{}, NextSteps: []Line{}, Figures: []Figure{},
		ProgressText: keep.ProgressText, ProblemsText: keep.ProblemsText, NextText: keep.NextText}
	for _, s := range sources {
		if err := s.Fill(ctx, from, to, &b); err != nil {
			return b, fmt.Errorf("monthly report: %w", err)
		}
	}
	return b, nil
}

// Edit is what the coordinator changes.
type Edit struct {
	ProgressText, ProblemsText, NextText string
	Recipients                           []string
	Lock                                 int64
}

// Save applies the coordinator's edit to a draft.
func Save(r Report, a authz.Actor, now time.Time, in Edit) (Report, error) {
	if err := authz.Require(a, authz.EditReports); err != nil {
		return r, err
	}
	if r.State != Draft {
		return r, fault.New(fault.Conflict, "the report is %s: it is not changed any more", r.State)
	}
	var f fault.Fields
	for _, t := range []struct {
		field string
		s     *string
	}{{"progress_text", &in.ProgressText}, {"problems_text", &in.ProblemsText}, {"next_text", &in.NextText}} {
		*t.s = strings.TrimSpace(plaintext.Normalize(*t.s))
		if utf8.RuneCountInString(*t.s) > 20000 {
			f.Add(t.field, "at most 20000 characters")
		}
		plaintext.Check(&f, t.field, *t.s)
	}
	rec, err := Recipients(in.Recipients)
	if err != nil {
		f.Add("recipients", "%s", err.Error())
	}
	if err := f.Err(); err != nil {
		return r, err
	}
	r.Body.ProgressText, r.Body.ProblemsText, r.Body.NextText = in.ProgressText, in.ProblemsText, in.NextText
	r.Recipients, r.AuthorID, r.UpdatedAt = rec, a.UserID, now
	return r, nil
}

// Recipients checks a list of e-mail addresses, dropping blanks and
// repeats.
func Recipients(in []string) ([]string, error) {
	out := []string{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s {
			return nil, fmt.Errorf("%q is not an e-mail address", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Approve signs a draft: an approver who is not its author.
func Approve(r Report, a authz.Actor, now time.Time) (Report, error) {
	if err := authz.Require(a, authz.ApproveReport); err != nil {
		return r, err
	}
	if r.State != Draft {
		return r, fault.New(fault.Conflict, "only a draft is approved; this report is %s", r.State)
	}
	if a.UserID != 0 && a.UserID == r.AuthorID {
		return r, &fault.Error{Code: fault.Forbidden, Field: "approved_by",
			Message: "the report's author does not approve it: ask another approver"}
	}
	r.State, r.ApprovedBy, r.ApprovedAt, r.UpdatedAt = Approved, a.UserID, now, now
	return r, nil
}

// Submit sends an approved report to its recipients.
func Submit(r Report, a authz.Actor, now time.Time) (Report, error) {
	if err := authz.Require(a, authz.EditReports); err != nil {
		return r, err
	}
	if r.State != Approved {
		return r, fault.New(fault.Conflict, "only an approved report is submitted; this one is %s", r.State)
	}
	if len(r.Recipients) == 0 {
		return r, fault.Field("recipients", "name who receives the report")
	}
	r.State, r.SubmittedAt, r.UpdatedAt = Submitted, now, now
	return r, nil
}

// Service keeps the monthly reports.
//
// Generate drafts (or redrafts, keeping the coordinator's text) the
// report on a period and starts its submission clock; a report past its
// draft is a conflict. Save follows Save (conflict on a stale Lock),
// Approve follows Approve (forbidden, naming approved_by, for its own
// author), Submit follows Submit and e-mails the recipients with the PDF
// and workbook attached, meeting the clock. GenerateDue drafts last
// month's report once its first working day has come (the periodic job).
type Service interface {
	List(ctx context.Context) ([]Report, error)
	Get(ctx context.Context, id int64) (Report, error)
	Generate(ctx context.Context, a authz.Actor, p Period) (Report, error)
	GenerateDue(ctx context.Context, now time.Time) (Report, bool, error)
	Save(ctx context.Context, a authz.Actor, id int64, in Edit) (Report, error)
	Approve(ctx context.Context, a authz.Actor, id int64) (Report, error)
	Submit(ctx context.Context, a authz.Actor, id int64) (Report, error)
}

// MailArgs is the River job that e-mails one recipient the submitted
// report with its PDF and workbook.
type MailArgs struct {
	ReportID int64  `json:"report_id"`
	To       string `json:"to"`
}

// Kind names the job.
func (MailArgs) Kind() string { return "monthly_report_mail" }

// GenerateArgs is the periodic job that drafts last month's report on
// the first working day.
type GenerateArgs struct{}

// Kind names the job.
func (GenerateArgs) Kind() string { return "monthly_report_generate" }
