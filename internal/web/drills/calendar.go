package drills

import (
	"bytes"
	"net/http"
	"slices"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// maxCalendar bounds the drills a calendar holds; an office runs dozens a
// year.
const maxCalendar = 500

// officeCalendar is every drill and its milestones as iCalendar.
func (h *Room) officeCalendar(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	h.calendar(w, r, tr, tr.T("drill.ical.office"), func(drill.Drill) bool { return true }, func(drill.Action) bool { return true })
}

// myCalendar is the drills the signed-in person is on, and the
// improvement actions they own.
func (h *Room) myCalendar(w http.ResponseWriter, r *http.Request) {
	h.personal(w, r, kit.Actor(r).UserID, kit.Actor(r).Name, h.Kit.T(r))
}

func (h *Room) personal(w http.ResponseWriter, r *http.Request, me int64, name string, tr i18n.Translator) {
	h.calendar(w, r, tr, tr.T("drill.ical.mine", "Name", name), func(d drill.Drill) bool {
		return d.AuthorID == me || slices.Contains(d.People(), me)
	}, func(x drill.Action) bool { return x.OwnerID == me })
}

// linkedCalendar is a person's calendar read through their secret
// calendar link, for calendar apps that cannot sign in: in the person's
// language, while their role may see drills.
func (h *Room) linkedCalendar(w http.ResponseWriter, r *http.Request) {
	u, err := h.Accounts.CalendarLinkUser(r.Context(), r.PathValue("secret"))
	if err != nil || !authz.Can(u.Role, authz.ViewDrills) {
		h.Kit.Fail(w, r, errNoCalendar) // a calendar app cannot sign in: no redirect, and nothing learnt
		return
	}
	h.personal(w, r, u.ID, u.DisplayName, h.Kit.For(u.Language))
}

// calendarLinkPage offers to make the reader's calendar link.
func (h *Room) calendarLinkPage(w http.ResponseWriter, r *http.Request) {
	h.Kit.Render(w, r, http.StatusOK, "drill_calendar_link", calendarLinkView{})
}

// makeCalendarLink makes a new calendar link, revoking the one before,
// and shows it once.
func (h *Room) makeCalendarLink(w http.ResponseWriter, r *http.Request) {
	secret, err := h.Accounts.NewCalendarLink(r.Context(), kit.Actor(r))
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Kit.Render(w, r, http.StatusOK, "drill_calendar_link", calendarLinkView{Link: h.Kit.BaseURL() + CalendarFeedPath + secret})
}

// calendarLinkView is the calendar link page: Link is set once, just made.
type calendarLinkView struct{ Link string }

func (h *Room) calendar(w http.ResponseWriter, r *http.Request, tr i18n.Translator, name string, onDrill func(drill.Drill) bool, onAction func(drill.Action) bool) {
	ds, _, err := h.Drills.List(r.Context(), drill.Filter{Limit: maxCalendar})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	base := h.Kit.BaseURL()
	cal := ical.Calendar{Name: name}
	for _, d := range ds {
		id := kit.Itoa(d.ID)
		url := base + Path + "/" + id
		if onDrill(d) {
			cal.Events = append(cal.Events, ical.Event{UID: "drill-" + id + "@crisisdesk", Start: d.StartsAt, End: d.EndsAt,
				Summary: tr.T("drill.ical.drill", "Title", d.Title), Description: d.Scenario, Location: d.Venue, URL: url, Updated: d.UpdatedAt})
			if !d.ReportDue.IsZero() {
				cal.Events = append(cal.Events, ical.Event{UID: "drill-" + id + "-report@crisisdesk", Start: d.ReportDue,
					Summary: tr.T("drill.ical.report_due", "Title", d.Title), URL: url + "/report", Updated: d.UpdatedAt})
			}
		}
		if d.EndedAt.IsZero() {
			continue
		}
		actions, err := h.Drills.Actions(r.Context(), d.ID)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		for _, x := range actions {
			if onAction(x) && !x.Closed() {
				cal.Events = append(cal.Events, ical.Event{UID: "drill-action-" + kit.Itoa(x.ID) + "@crisisdesk", Start: x.Due,
					Summary: tr.T("drill.ical.action_due", "Text", x.Text), Description: x.LinkKind + ": " + x.LinkRef,
					URL: url + "/report", Updated: x.CreatedAt})
			}
		}
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, cal); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ical.ContentType)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(buf.Bytes())
}

// errNoCalendar: the link is unknown or replaced, or its person may no
// longer see drills; all said alike, so that a guessed link learns nothing.
var errNoCalendar = fault.New(fault.NotFound, "no such calendar")
