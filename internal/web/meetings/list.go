package meetings

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/web/kit"
)

const peopleLimit = 500

// seriesForm is the form that sets up a recurring meeting.
type seriesForm struct {
	Title, Location, FirstStart string
	Minutes, Interval           int
	Invitees                    []int64
	Errors                      kit.FieldErrors
}

// Invited reports whether person id is ticked.
func (f seriesForm) Invited(id int64) bool {
	for _, x := range f.Invitees {
		if x == id {
			return true
		}
	}
	return false
}

var seriesRules = kit.FieldKeys{
	"title":       "meeting.err.title",
	"first_start": "meeting.err.first_start",
	"duration":    "meeting.err.duration",
	"interval":    "meeting.err.interval",
	"invitees":    "meeting.err.invitees",
	"location":    "meeting.err.location",
}

// seriesRow is a series with its meetings, newest first.
type seriesRow struct {
	Series   meeting.Series
	Meetings []meeting.Meeting
}

// listView is the meetings page.
type listView struct {
	Series []seriesRow
	Form   seriesForm
	People []account.User
	Names  map[int64]string
	CanRun bool
}

// FormErrors implements kit.Form.
func (v listView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func (h *Room) people(ctx context.Context) ([]account.User, map[int64]string, error) {
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	var out []account.User
	for _, u := range users {
		names[u.ID] = u.Name
		if u.DisplayName != "" {
			names[u.ID] = u.DisplayName
		}
		if !u.Disabled {
			out = append(out, u)
		}
	}
	return out, names, nil
}

func (h *Room) list(ctx context.Context, r *http.Request, f seriesForm) (listView, error) {
	v := listView{Form: f, CanRun: authz.Can(kit.Role(r), authz.RunMeetings)}
	all, err := h.Meetings.ListSeries(ctx)
	if err != nil {
		return v, err
	}
	for _, s := range all {
		ms, err := h.Meetings.Meetings(ctx, s.ID)
		if err != nil {
			return v, err
		}
		v.Series = append(v.Series, seriesRow{Series: s, Meetings: ms})
	}
	v.People, v.Names, err = h.people(ctx)
	return v, err
}

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.list(r.Context(), r, seriesForm{Minutes: 60, Interval: 1})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "meetings", v)
}

func (h *Room) createSeries(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := seriesForm{Title: r.PostFormValue("title"), Location: r.PostFormValue("location"),
		FirstStart: strings.TrimSpace(r.PostFormValue("first_start"))}
	f.Minutes, _ = strconv.Atoi(r.PostFormValue("duration")) // minutes
	f.Interval, _ = strconv.Atoi(r.PostFormValue("interval"))
	for _, s := range r.PostForm["invitees"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.Invitees = append(f.Invitees, id)
		}
	}
	var bad fault.Fields
	in := meeting.Series{Title: f.Title, Location: f.Location, Duration: time.Duration(f.Minutes) * time.Minute, IntervalWks: f.Interval,
		Invitees: f.Invitees}
	if f.FirstStart != "" {
		t, ok := parseLocal(f.FirstStart, h.Kit.Location())
		if !ok {
			bad.Add("first_start", "is not a date and time")
		}
		in.FirstStart = t
	}
	err := kit.MergeFields(bad, nil)
	var first meeting.Meeting
	if err == nil {
		_, first, err = h.Meetings.CreateSeries(r.Context(), kit.Actor(r), in)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(first.ID)+"?done=meeting_created")
		return
	}
	fe, invalid := kit.InvalidFields(h.Kit.T(r), err, seriesRules)
	if !invalid {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	v, lerr := h.list(r.Context(), r, f)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	h.Kit.Render(w, r, http.StatusUnprocessableEntity, "meetings", v)
}

// parseLocal reads a datetime-local value in the office's zone.
func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
