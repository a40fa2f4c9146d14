package drills

import (
	"bytes"
	"net/http"
	"slices"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/web/kit"
)

// maxCalendar bounds the drills a calendar holds; an office runs dozens a
// year.
const maxCalendar = 500

// officeCalendar is every drill and its milestones as iCalendar.
func (h *Room) officeCalendar(w http.ResponseWriter, r *http.Request) {
	h.calendar(w, r, "crisisdesk drills", func(drill.Drill) bool { return true }, func(drill.Action) bool { return true })
}

// myCalendar is the drills the signed-in person is on, and the
// improvement actions they own.
func (h *Room) myCalendar(w http.ResponseWriter, r *http.Request) {
	me := kit.Actor(r).UserID
	h.calendar(w, r, "crisisdesk drills: "+kit.Actor(r).Name, func(d drill.Drill) bool {
		return d.AuthorID == me || slices.Contains(d.People(), me)
	}, func(x drill.Action) bool { return x.OwnerID == me })
}

func (h *Room) calendar(w http.ResponseWriter, r *http.Request, name string, onDrill func(drill.Drill) bool, onAction func(drill.Action) bool) {
	ds, _, err := h.Drills.List(r.Context(), drill.Filter{Limit: maxCalendar})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	base := "https://" + r.Host
	if r.TLS == nil {
		base = "http://" + r.Host
	}
	cal := ical.Calendar{Name: name}
	for _, d := range ds {
		id := kit.Itoa(d.ID)
		url := base + Path + "/" + id
		if onDrill(d) {
			cal.Events = append(cal.Events, ical.Event{UID: "drill-" + id + "@crisisdesk", Start: d.StartsAt, End: d.EndsAt,
				Summary: "EXERCISE 演練: " + d.Title, Description: d.Scenario, Location: d.Venue, URL: url, Updated: d.UpdatedAt})
			if !d.ReportDue.IsZero() {
				cal.Events = append(cal.Events, ical.Event{UID: "drill-" + id + "-report@crisisdesk", Start: d.ReportDue,
					Summary: "After-action report due: " + d.Title, URL: url + "/report", Updated: d.UpdatedAt})
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
					Summary: "Improvement action due: " + x.Text, Description: x.LinkKind + ": " + x.LinkRef,
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
	_, _ = w.Write(buf.Bytes())
}
