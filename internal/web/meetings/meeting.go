package meetings

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/web/kit"
)

// agendaLine is one agenda item as read.
type agendaLine struct {
	Text string
	Link string
	Due  time.Time
}

// agendaSection is a section of the agenda as read.
type agendaSection struct {
	Name  string
	Lines []agendaLine
}

// minutesForm is the minutes as typed.
type minutesForm struct {
	Attendees []int64
	Decisions string
	Notes     string
	Lock      int64
}

// Attended reports whether person id is ticked.
func (f minutesForm) Attended(id int64) bool {
	for _, x := range f.Attendees {
		if x == id {
			return true
		}
	}
	return false
}

// actionForm is a new action decided at the meeting.
type actionForm struct {
	Text, Due string
	OwnerID   int64
}

var meetingRules = kit.FieldKeys{
	"attendees": "meeting.err.attendees",
	"decisions": "meeting.err.text",
	"notes":     "meeting.err.text",
	"text":      "action.err.text",
	"owner_id":  "action.err.owner",
	"due":       "action.err.due",
}

// meetingView is one meeting's page.
type meetingView struct {
	Series     meeting.Series
	Meeting    meeting.Meeting
	Agenda     []agendaSection
	Minutes    minutesForm
	Action     actionForm
	Actions    []action.Action
	People     []account.User
	Names      map[int64]string
	CanRun     bool
	CanApprove bool
	Me         int64
	Now        time.Time
	Errors     kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v meetingView) FormErrors() kit.FieldErrors { return v.Errors }

// agendaText renders the agenda's items in the reader's language; an
// owner's id becomes their name.
func agendaText(tr i18n.Translator, ag meeting.Agenda, names map[int64]string) []agendaSection {
	var out []agendaSection
	for _, s := range ag.Sections {
		sec := agendaSection{Name: s.Name}
		for _, it := range s.Items {
			var args []any
			for k, v := range it.Args {
				if k == "owner" {
					if id, err := strconv.ParseInt(v, 10, 64); err == nil {
						v = names[id]
					}
				}
				if k == "source" {
					v = tr.T("action.source." + v)
				}
				if base, ok := strings.CutSuffix(k, "Key"); ok && base != "" {
					k, v = base, tr.T(v) // a name kept as a message key (a default risk)
				}
				args = append(args, k, v)
			}
			sec.Lines = append(sec.Lines, agendaLine{Text: tr.T(it.Key, args...), Link: it.Link, Due: it.Due})
		}
		out = append(out, sec)
	}
	return out
}

func (h *Room) load(w http.ResponseWriter, r *http.Request) (meetingView, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return meetingView{}, false
	}
	ctx := r.Context()
	m, err := h.Meetings.Get(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return meetingView{}, false
	}
	s, err := h.Meetings.Series(ctx, m.SeriesID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return meetingView{}, false
	}
	acts, err := h.Actions.List(ctx, action.Filter{Source: action.FromMeeting, SourceID: id})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return meetingView{}, false
	}
	people, names, err := h.people(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return meetingView{}, false
	}
	v := meetingView{Series: s, Meeting: m, Actions: acts, People: people, Names: names, Me: kit.Actor(r).UserID, Now: h.Kit.Now(),
		CanRun: authz.Can(kit.Role(r), authz.RunMeetings), CanApprove: authz.Can(kit.Role(r), authz.ApproveMinutes),
		Minutes: minutesForm{Attendees: m.Attendees, Decisions: strings.Join(m.Decisions, "\n"), Notes: m.Notes, Lock: m.Lock}}
	if len(v.Minutes.Attendees) == 0 {
		v.Minutes.Attendees = s.Invitees
	}
	v.Agenda = agendaText(h.Kit.T(r), m.Agenda, names)
	return v, true
}

func (h *Room) meetingPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "meeting", v)
}

// fail shows the meeting again with err beside its field, or in the
// summary.
func (h *Room) fail(w http.ResponseWriter, r *http.Request, err error, keep func(*meetingView)) {
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, meetingRules)
	status := http.StatusUnprocessableEntity
	switch {
	case invalid:
	case fault.Is(err, fault.Forbidden):
		fe = kit.FieldErrors{"": tr.T("meeting.err.own_minutes")} // a refusal of this request, not of the page
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("meeting.err.conflict")}, http.StatusConflict
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	if keep != nil {
		keep(&v)
	}
	v.Errors = fe
	h.Kit.Render(w, r, status, "meeting", v)
}

func (h *Room) generate(w http.ResponseWriter, r *http.Request) {
	id, _ := kit.PathID(r)
	if _, err := h.Meetings.GenerateAgenda(r.Context(), kit.Actor(r), id); err != nil {
		h.fail(w, r, err, nil)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=meeting_agenda#agenda")
}

func (h *Room) saveMinutes(w http.ResponseWriter, r *http.Request) {
	id, _ := kit.PathID(r)
	_ = r.ParseForm()
	f := minutesForm{Decisions: r.PostFormValue("decisions"), Notes: r.PostFormValue("notes"), Lock: kit.FormInt(r, "lock")}
	for _, s := range r.PostForm["attendees"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.Attendees = append(f.Attendees, n)
		}
	}
	_, err := h.Meetings.SaveMinutes(r.Context(), kit.Actor(r), id, meeting.Minutes{Attendees: f.Attendees,
		Decisions: kit.SplitLines(f.Decisions), Notes: f.Notes, Lock: f.Lock})
	if err != nil {
		h.fail(w, r, err, func(v *meetingView) { f.Lock = v.Minutes.Lock; v.Minutes = f })
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=meeting_minutes#minutes")
}

func (h *Room) addAction(w http.ResponseWriter, r *http.Request) {
	id, _ := kit.PathID(r)
	f := actionForm{Text: r.PostFormValue("text"), Due: strings.TrimSpace(r.PostFormValue("due")), OwnerID: kit.FormInt(r, "owner_id")}
	x := action.Action{Text: f.Text, OwnerID: f.OwnerID}
	var bad fault.Fields
	if f.Due != "" {
		// A due date is the end of that day in the office's zone.
		t, err := time.ParseInLocation("2006-01-02", f.Due, h.Kit.Location())
		if err != nil {
			bad.Add("due", "not a date")
		}
		x.Due = t.Add(24*time.Hour - time.Minute).UTC()
	}
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Meetings.AddAction(r.Context(), kit.Actor(r), id, x)
	}
	if err != nil {
		h.fail(w, r, err, func(v *meetingView) { v.Action = f })
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=meeting_action#meeting-actions")
}

func (h *Room) approve(w http.ResponseWriter, r *http.Request) {
	id, _ := kit.PathID(r)
	if _, err := h.Meetings.Approve(r.Context(), kit.Actor(r), id); err != nil {
		h.fail(w, r, err, nil)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=meeting_approved")
}

// invitation is the series' iCalendar invitation, to add to a calendar by
// hand (the invitees had it by e-mail).
func (h *Room) invitation(w http.ResponseWriter, r *http.Request) {
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	loc := h.Kit.Location()
	s := v.Series
	ev := ical.Event{UID: "meeting-series-" + kit.Itoa(s.ID) + "@crisisdesk", Start: s.FirstStart, End: s.FirstStart.Add(s.Duration),
		Updated: s.CreatedAt, Summary: s.Title, Location: s.Location, RRule: s.RRule(loc), TZID: loc.String()}
	var buf bytes.Buffer
	if err := ical.Write(&buf, ical.Calendar{Name: s.Title, Zone: loc, Events: []ical.Event{ev}}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ical.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="meeting-`+kit.Itoa(s.ID)+`.ics"`)
	_, _ = w.Write(buf.Bytes())
}
