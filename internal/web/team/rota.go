package team

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/teamview"
)

// shiftRules explain the domain's validation of a shift and a swap.
var shiftRules = kit.FieldKeys{
	"role":         "team.err.shift_role",
	"member_id":    "team.err.shift_member",
	"starts_at":    "team.err.shift_starts",
	"ends_at":      "team.err.shift_ends",
	"note":         "team.err.text",
	"to_member_id": "team.err.swap_member",
	"reason":       "team.err.text",
}

// shiftForm is the add-shift form; times are typed in the office's zone.
type shiftForm struct {
	Role     string
	MemberID int64
	StartsAt string
	EndsAt   string
	Note     string
	Errors   kit.FieldErrors
}

// rotaView is the week's rota: who is on duty now, the shifts of the
// week, the form to add one and the swaps recorded.
type rotaView struct {
	Duty       []teamview.Row
	Week       time.Time // Monday 00:00 in the office's zone
	Prev, Next string    // ?week= of the weeks around
	Shifts     []shiftRow
	Swaps      []team.Swap
	Roles      []roleOption
	RoleNames  map[string]string
	Members    []team.Member
	Form       shiftForm
	CanManage  bool
	Zone       string
}

// shiftRow is a shift with the required certificates its member lacks
// for some of it: the rota's warning.
type shiftRow struct {
	team.Shift
	Lacks string
}

// FormErrors opens the page with the form's errors.
func (v rotaView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// weekOf is the Monday starting the week of ?week= (a date), else this
// week, in loc.
func weekOf(r *http.Request, now time.Time, loc *time.Location) time.Time {
	d := now.In(loc)
	if t, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("week"), loc); err == nil {
		d = t
	}
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func (h *Room) rotaView(r *http.Request, f shiftForm) (rotaView, error) {
	ctx, loc, now := r.Context(), h.Kit.Location(), h.Kit.Now()
	v := rotaView{Form: f, CanManage: authz.Can(kit.Role(r), authz.ManageRota), Zone: loc.String()}
	v.Week = weekOf(r, now, loc)
	v.Prev, v.Next = v.Week.AddDate(0, 0, -7).Format("2006-01-02"), v.Week.AddDate(0, 0, 7).Format("2006-01-02")
	var err error
	if v.Duty, err = teamview.Rows(ctx, h.Team, h.Kit.T(r), now); err != nil {
		return v, err
	}
	names, roles, err := h.roleNames(r)
	if err != nil {
		return v, err
	}
	v.RoleNames = names
	for _, x := range roles {
		v.Roles = append(v.Roles, roleOption{ID: x.ID, Key: x.Key, Name: names[x.Key]})
	}
	shifts, err := h.Team.Shifts(ctx, team.ShiftFilter{From: v.Week, To: v.Week.AddDate(0, 0, 7)})
	if err != nil {
		return v, err
	}
	if v.Shifts, err = h.warnings(r, roles, shifts); err != nil {
		return v, err
	}
	if v.Swaps, err = h.Team.Swaps(ctx, 20); err != nil {
		return v, err
	}
	v.Members, err = h.Team.Members(ctx, false)
	return v, err
}

func (h *Room) rotaPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.rotaView(r, shiftForm{})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team_rota", v)
}

// localTime reads a datetime-local field in the office's zone.
func (h *Room) localTime(s string) time.Time {
	for _, layout := range []string{kit.DatetimeLocal, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), h.Kit.Location()); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func (h *Room) addShift(w http.ResponseWriter, r *http.Request) {
	f := shiftForm{Role: r.PostFormValue("role"), MemberID: kit.FormInt(r, "member_id"), StartsAt: r.PostFormValue("starts_at"),
		EndsAt: r.PostFormValue("ends_at"), Note: r.PostFormValue("note")}
	s := team.Shift{RoleKey: f.Role, MemberID: f.MemberID, StartsAt: h.localTime(f.StartsAt), EndsAt: h.localTime(f.EndsAt), Note: f.Note}
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), s.Validate(), shiftRules, shiftRules, func() error {
		_, err := h.Team.AddShift(r.Context(), kit.Actor(r), s)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		v, err := h.rotaView(r, f)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		h.Kit.Render(w, r, status, "team_rota", v)
	default:
		kit.Redirect(w, r, RotaPath+"?week="+s.StartsAt.In(h.Kit.Location()).Format("2006-01-02")+"&done=team_shift_added")
	}
}

func (h *Room) deleteShift(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.Team.DeleteShift(r.Context(), kit.Actor(r), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, RotaPath+"?done=team_shift_deleted")
}

func (h *Room) swapShift(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := h.Team.SwapShift(r.Context(), kit.Actor(r), id, kit.FormInt(r, "to_member_id"), r.PostFormValue("reason"))
	if fe, invalid := kit.InvalidFields(h.Kit.T(r), err, shiftRules); invalid {
		v, verr := h.rotaView(r, shiftForm{Errors: kit.FieldErrors{"": fe["to_member_id"] + fe["reason"] + fe[""]}})
		if verr != nil {
			h.Kit.Fail(w, r, verr)
			return
		}
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "team_rota", v)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, RotaPath+"?done=team_shift_swapped")
}

func (h *Room) exportRota(w http.ResponseWriter, r *http.Request) {
	loc := h.Kit.Location()
	week := weekOf(r, h.Kit.Now(), loc)
	shifts, err := h.Team.Shifts(r.Context(), team.ShiftFilter{From: week, To: week.AddDate(0, 0, 7)})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "rota", func(sw sheet.Writer) error {
		if err := sw.Write("id", "role", "member_id", "member", "starts_at", "ends_at", "note"); err != nil {
			return err
		}
		for _, s := range shifts {
			if err := sw.Write(kit.Itoa(s.ID), s.RoleKey, kit.Itoa(s.MemberID), s.MemberName, s.StartsAt.Format(time.RFC3339),
				s.EndsAt.Format(time.RFC3339), s.Note); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "rota-"+week.Format("2006-01-02"), buf.Bytes())
}

// linkedCalendar is a person's own shifts read through their secret
// calendar link (made on the drills' calendar-link page), for calendar
// apps that cannot sign in. An unknown or replaced link, a person not on
// the team and a role that may not see the team are all answered alike.
func (h *Room) linkedCalendar(w http.ResponseWriter, r *http.Request) {
	u, err := h.Accounts.CalendarLinkUser(r.Context(), r.PathValue("secret"))
	var m team.Member
	if err == nil && authz.Can(u.Role, authz.ViewTeam) {
		m, err = h.Team.MemberByUser(r.Context(), u.ID)
	}
	if err != nil || m.ID == 0 {
		h.Kit.Fail(w, r, errNoCalendar)
		return
	}
	f := h.calendarRange()
	f.MemberID = m.ID
	h.calendarFor(w, r, h.Kit.For(u.Language), "crisisdesk rota: "+m.Name, f)
}

// errNoCalendar says alike that a link is unknown, replaced, or its
// person is not on the team: a guessed link learns nothing.
var errNoCalendar = fault.New(fault.NotFound, "no such calendar")

// calendarRange is what a rota calendar holds: a month back, three ahead.
func (h *Room) calendarRange() team.ShiftFilter {
	now := h.Kit.Now()
	return team.ShiftFilter{From: now.AddDate(0, -1, 0), To: now.AddDate(0, 3, 0)}
}

func (h *Room) memberCalendar(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	m, err := h.Team.Member(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f := h.calendarRange()
	f.MemberID = id
	h.calendar(w, r, "crisisdesk rota: "+m.Name, f)
}

func (h *Room) roleCalendar(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	role, err := h.Team.RoleByID(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f := h.calendarRange()
	f.RoleKey = role.Key
	h.calendar(w, r, "crisisdesk rota: "+teamview.RoleName(h.Kit.T(r), role), f)
}

func (h *Room) calendar(w http.ResponseWriter, r *http.Request, name string, f team.ShiftFilter) {
	h.calendarFor(w, r, h.Kit.T(r), name, f)
}

func (h *Room) calendarFor(w http.ResponseWriter, r *http.Request, tr i18n.Translator, name string, f team.ShiftFilter) {
	shifts, err := h.Team.Shifts(r.Context(), f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	roles, err := h.Team.Roles(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, x := range roles {
		names[x.Key] = teamview.RoleName(tr, x)
	}
	base := h.Kit.BaseURL()
	cal := ical.Calendar{Name: name}
	for _, s := range shifts {
		cal.Events = append(cal.Events, ical.Event{UID: "shift-" + kit.Itoa(s.ID) + "@crisisdesk", Start: s.StartsAt, End: s.EndsAt,
			Summary: names[s.RoleKey] + ": " + s.MemberName, Description: s.Note, URL: base + RotaPath, Updated: s.CreatedAt})
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

// warnings marks each shift whose member holds no certificate, valid for
// the whole shift, of a course the role requires.
func (h *Room) warnings(r *http.Request, roles []team.Role, shifts []team.Shift) ([]shiftRow, error) {
	ctx := r.Context()
	requires := map[string][]int64{}
	for _, x := range roles {
		requires[x.Key] = x.Requires
	}
	certs, err := h.Team.Certificates(ctx, 0)
	if err != nil {
		return nil, err
	}
	courses, err := h.Team.Courses(ctx)
	if err != nil {
		return nil, err
	}
	title := map[int64]string{}
	for _, c := range courses {
		title[c.ID] = c.Title
	}
	out := make([]shiftRow, 0, len(shifts))
	for _, s := range shifts {
		row := shiftRow{Shift: s}
		var lacks []string
		for _, course := range requires[s.RoleKey] {
			held := false
			for _, c := range certs {
				if c.MemberID == s.MemberID && c.CourseID == course && c.ValidAt(s.StartsAt) && c.ValidAt(s.EndsAt.Add(-time.Second)) {
					held = true
					break
				}
			}
			if !held {
				lacks = append(lacks, title[course])
			}
		}
		row.Lacks = strings.Join(lacks, ", ")
		out = append(out, row)
	}
	return out, nil
}
