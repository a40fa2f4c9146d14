package media

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// ConferencesPath lists the press conferences;
// ConferencesPath/{id}/invitation.ics is one's iCalendar invitation.
const ConferencesPath = "/desk/media/conferences"

var conferenceRules = kit.FieldKeys{
	"title":     "media.err.conference_title",
	"venue":     "media.err.venue",
	"starts_at": "media.err.time",
	"ends_at":   "media.err.ends_at",
	"speakers":  "media.err.speakers",
	"invited":   "err.choose",
	"crisis_id": "err.choose",
}

// conferenceForm is the schedule-a-conference form, as typed.
type conferenceForm struct {
	Title, Venue, StartsAt, EndsAt, Speakers string
	CrisisID                                 int64
	Invited                                  map[int64]bool
	Errors                                   kit.FieldErrors
}

// conferencesView lists the conferences with the form.
type conferencesView struct {
	Conferences []press.Conference
	Names       map[int64]string // journalists
	Crises      []crisis.Crisis
	Journalists []press.Journalist
	Form        conferenceForm
	CanManage   bool
}

// FormErrors implements kit.Form.
func (v conferencesView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func (h *Room) conferencesPage(w http.ResponseWriter, r *http.Request) {
	start := h.Kit.Now().In(h.Kit.Location()).Add(2 * time.Hour).Truncate(time.Hour)
	h.renderConferences(w, r, http.StatusOK, conferenceForm{StartsAt: start.Format(kit.DatetimeLocal),
		EndsAt: start.Add(time.Hour).Format(kit.DatetimeLocal), CrisisID: kit.QueryInt(r, "crisis"), Invited: map[int64]bool{}})
}

func (h *Room) renderConferences(w http.ResponseWriter, r *http.Request, status int, f conferenceForm) {
	ctx := r.Context()
	v := conferencesView{Form: f, Names: map[int64]string{}, CanManage: authz.Can(kit.Role(r), authz.ManageMedia)}
	var err error
	if v.Conferences, err = h.Press.Conferences(ctx); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Journalists, err = h.Press.Journalists(ctx); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, j := range v.Journalists {
		v.Names[j.ID] = j.Name + " (" + j.Outlet + ")"
	}
	if v.Crises, _, err = h.Crises.List(ctx, crisis.Filter{Open: true, Limit: 100}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "media_conferences", v)
}

func (h *Room) addConference(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := conferenceForm{Title: r.PostFormValue("title"), Venue: r.PostFormValue("venue"), StartsAt: strings.TrimSpace(r.PostFormValue("starts_at")),
		EndsAt: strings.TrimSpace(r.PostFormValue("ends_at")), Speakers: r.PostFormValue("speakers"), CrisisID: kit.FormInt(r, "crisis_id"),
		Invited: map[int64]bool{}}
	c := press.Conference{Title: f.Title, Venue: f.Venue, CrisisID: f.CrisisID, Speakers: kit.SplitLines(f.Speakers)}
	for _, s := range r.PostForm["invited"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			c.Invited, f.Invited[id] = append(c.Invited, id), true
		}
	}
	var bad fault.Fields
	for _, t := range []struct {
		field, value string
		dst          *time.Time
	}{{"starts_at", f.StartsAt, &c.StartsAt}, {"ends_at", f.EndsAt, &c.EndsAt}} {
		at, err := time.ParseInLocation(kit.DatetimeLocal, t.value, h.Kit.Location())
		if err != nil {
			bad.Add(t.field, "not a time")
		}
		*t.dst = at.UTC()
	}
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Press.AddConference(r.Context(), kit.Actor(r), c)
	}
	if err == nil {
		kit.Redirect(w, r, ConferencesPath+"?done=media_conference_added")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, conferenceRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderConferences(w, r, http.StatusUnprocessableEntity, f)
}

// invitation is a conference's iCalendar invitation, for the invited
// journalists' calendars and the speakers'.
func (h *Room) invitation(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	c, err := h.Press.Conference(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	desc := tr.T("media.conference.speakers") + ": " + strings.Join(c.Speakers, "; ")
	var buf bytes.Buffer
	if err := ical.Write(&buf, ical.Calendar{Name: c.Title, Events: []ical.Event{{UID: "press-conference-" + kit.Itoa(c.ID) + "@crisisdesk",
		Start: c.StartsAt, End: c.EndsAt, Summary: c.Title, Description: desc, Location: c.Venue, Updated: c.UpdatedAt}}}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ical.ContentType)
	hd.Set("Content-Disposition", `attachment; filename="press-conference-`+kit.Itoa(c.ID)+`.ics"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}
