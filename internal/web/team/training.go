package team

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

// trainingRules explain the domain's validation of courses, sessions and
// certificates.
var trainingRules = kit.FieldKeys{
	"title":        "team.err.title",
	"description":  "team.err.text",
	"valid_months": "team.err.valid_months",
	"course_id":    "team.err.course",
	"starts_at":    "team.err.session_starts",
	"ends_at":      "team.err.session_ends",
	"trainer":      "team.err.trainer",
	"venue":        "team.err.venue",
	"member_id":    "team.err.shift_member",
	"members":      "team.err.shift_member",
	"issued_at":    "team.err.issued",
	"expires_at":   "team.err.expires",
	"reference":    "team.err.text",
}

// LapseWarning is how far ahead the training page flags a certificate:
// the first of the expiry alerts.
const LapseWarning = 60 * 24 * time.Hour

// certRow is a certificate with its state for the page.
type certRow struct {
	team.Certificate
	Lapsing, Lapsed bool
	Clock           *kit.DeadlineView // its renewal clock, when it lapses
}

// sessionRow is a session with its course's title.
type sessionRow struct {
	team.Session
	Course string
}

// Attended reports whether member id attended.
func (s sessionRow) Attended(id int64) bool {
	for _, a := range s.Attendees {
		if a == id {
			return true
		}
	}
	return false
}

// trainingView is the training page: courses, sessions with attendance,
// certificates (lapsing ones flagged) and the forms.
type trainingView struct {
	Courses   []team.Course
	Sessions  []sessionRow
	Certs     []certRow
	Members   []team.Member
	Record    []recordRow
	CanManage bool
	Zone      string
	Form      map[string]string // what a refused form was sent with
	Errors    kit.FieldErrors
}

// recordRow is a line of the training record with the member's name.
type recordRow struct {
	team.Record
	Member string
}

// FormErrors opens the page with the form's errors.
func (v trainingView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) trainingView(r *http.Request) (trainingView, error) {
	ctx, now := r.Context(), h.Kit.Now()
	v := trainingView{CanManage: authz.Can(kit.Role(r), authz.ManageTraining), Zone: h.Kit.Location().String(), Form: map[string]string{}}
	var err error
	if v.Courses, err = h.Team.Courses(ctx); err != nil {
		return v, err
	}
	titles := map[int64]string{}
	for _, c := range v.Courses {
		titles[c.ID] = c.Title
	}
	ss, err := h.Team.Sessions(ctx, 0)
	if err != nil {
		return v, err
	}
	for _, s := range ss {
		v.Sessions = append(v.Sessions, sessionRow{Session: s, Course: titles[s.CourseID]})
	}
	certs, err := h.Team.Certificates(ctx, 0)
	if err != nil {
		return v, err
	}
	clocks, err := h.Team.RenewalClocks(ctx)
	if err != nil {
		return v, err
	}
	tr := h.Kit.T(r)
	for _, c := range certs {
		row := certRow{Certificate: c, Lapsing: c.Lapsing(now, LapseWarning), Lapsed: !c.ExpiresAt.IsZero() && !c.ExpiresAt.After(now)}
		if d, ok := clocks[c.ID]; ok {
			dv := kit.NewDeadlineView(tr, d, now)
			row.Clock = &dv
		}
		v.Certs = append(v.Certs, row)
	}
	if v.Members, err = h.Team.Members(ctx, false); err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, m := range v.Members {
		names[m.ID] = m.Name
	}
	rec, err := h.Team.Training(ctx, 0)
	if err != nil {
		return v, err
	}
	for _, x := range rec {
		v.Record = append(v.Record, recordRow{Record: x, Member: names[x.MemberID]})
	}
	return v, nil
}

func (h *Room) trainingPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.trainingView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team_training", v)
}

// trainingSaved redirects after a save, or shows the page again with the
// refused form's errors.
func (h *Room) trainingSaved(w http.ResponseWriter, r *http.Request, invalid error, save func() error, done string) {
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), invalid, trainingRules, trainingRules, save)
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		v, err := h.trainingView(r)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Errors = fe
		for k := range r.PostForm {
			v.Form[k] = r.PostFormValue(k)
		}
		h.Kit.Render(w, r, status, "team_training", v)
	default:
		kit.Redirect(w, r, TrainingPath+"?done="+done)
	}
}

func (h *Room) addCourse(w http.ResponseWriter, r *http.Request) {
	months, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("valid_months")))
	c := team.Course{Title: strings.TrimSpace(r.PostFormValue("title")), Description: r.PostFormValue("description"), ValidMonths: months}
	h.trainingSaved(w, r, c.Validate(), func() error {
		_, err := h.Team.AddCourse(r.Context(), kit.Actor(r), c)
		return err
	}, "team_course_added")
}

func (h *Room) addSession(w http.ResponseWriter, r *http.Request) {
	s := team.Session{CourseID: kit.FormInt(r, "course_id"), StartsAt: h.localTime(r.PostFormValue("starts_at")),
		EndsAt: h.localTime(r.PostFormValue("ends_at")), Trainer: strings.TrimSpace(r.PostFormValue("trainer")), Venue: strings.TrimSpace(r.PostFormValue("venue"))}
	h.trainingSaved(w, r, s.Validate(), func() error {
		_, err := h.Team.AddSession(r.Context(), kit.Actor(r), s)
		return err
	}, "team_session_added")
}

func (h *Room) setAttendance(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.trainingSaved(w, r, nil, func() error {
		_, err := h.Team.SetAttendance(r.Context(), kit.Actor(r), id, ids(r, "members"), r.PostFormValue("certify") != "")
		return err
	}, "team_attendance")
}

// dateField reads a date input in the office's zone.
func (h *Room) dateField(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), h.Kit.Location())
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func (h *Room) addCertificate(w http.ResponseWriter, r *http.Request) {
	c := team.Certificate{MemberID: kit.FormInt(r, "member_id"), CourseID: kit.FormInt(r, "course_id"),
		IssuedAt: h.dateField(r.PostFormValue("issued_at")), ExpiresAt: h.dateField(r.PostFormValue("expires_at")),
		Reference: strings.TrimSpace(r.PostFormValue("reference"))}
	h.trainingSaved(w, r, c.Validate(), func() error {
		_, err := h.Team.AddCertificate(r.Context(), kit.Actor(r), c)
		return err
	}, "team_certificate_added")
}

// exportTraining writes the training records: certificates, then the
// sessions and drills each member took part in.
func (h *Room) exportTraining(w http.ResponseWriter, r *http.Request) {
	v, err := h.trainingView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	err = kit.WriteExport(&buf, format, "training", func(sw sheet.Writer) error {
		if err := sw.Write("record", "member_id", "member", "course_or_drill", "at", "expires_at", "reference"); err != nil {
			return err
		}
		for _, c := range v.Certs {
			if err := sw.Write("certificate", kit.Itoa(c.MemberID), c.MemberName, c.CourseTitle, day(c.IssuedAt), day(c.ExpiresAt), c.Reference); err != nil {
				return err
			}
		}
		for _, x := range v.Record {
			if err := sw.Write(x.Kind, kit.Itoa(x.MemberID), x.Member, x.Title, day(x.At), "", ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "training", buf.Bytes())
}
