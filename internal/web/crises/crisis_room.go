package crises

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/teamview"
)

// roomView is the crisis room: everything one crisis's page shows. Its
// parts are templates of their own (partials/crisis.html) that the page's
// script fetches again when the crisis changes.
type roomView struct {
	Crisis     crisis.Crisis
	TypeName   string
	Plan       *plan.Plan // the activated version
	Clocks     []kit.ClockView
	Compliance []complianceView // the communication matrix: each row kept or not
	Phases     []taskPhase
	Timeline   []crisis.Entry
	People     []string
	Viewers    int
	Plans      []plan.Plan // approved plans of the type, to activate
	Levels     []catalog.Level
	CanCommand bool
	CanWork    bool
	CanWrite   bool
	Notices    roomNotices
	Form       roomForm // what an action refused was sent with
	Errors     kit.FieldErrors
	// Basis is what the plan's clocks count from: the occurrence, or the
	// detection when the occurrence is unknown.
	Basis crisis.Basis
	// Figures are the time to activate and to the first public notice.
	Figures []figure
	// CanShowPublic offers "show on the public site" (a commander, a
	// crisis not on it yet).
	CanShowPublic bool
	// Duty is who is on duty now and next in each team role.
	Duty []teamview.Row
}

// roomNotices is the room's notices card.
type roomNotices struct {
	List     []noticeRow
	CanDraft bool
}

// noticeRow is a notice of the crisis, with its headline in the reader's
// language.
type noticeRow struct {
	Notice   notice.Notice
	Headline string
}

// roomMaxNotices is how many notices the room lists.
const roomMaxNotices = 50

// roomForm keeps what was typed into a refused action.
type roomForm struct {
	Level   string
	Reason  string
	Summary string
	Note    string
}

type taskPhase struct {
	Phase plan.Phase
	Tasks []taskView
}

// taskView is a task with its owner's name and its deadline's state.
type taskView struct {
	crisis.Task
	Owner string
	Due   kit.ClockView
	// CanTick says whether the viewer may tick it (crisis.CanWork); others
	// see it read-only.
	CanTick bool
	// CompletesOn words the event that completes it by itself, if any.
	CompletesOn string
}

// peopleWindow is how far back the room looks for who is working on it.
const peopleWindow = 12 * time.Hour

func (h *Room) crisisRoom(w http.ResponseWriter, r *http.Request) {
	v, ok := h.room(w, r)
	if !ok {
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "crisis", v)
}

// crisisPart serves one part of the room for the live script.
func (h *Room) crisisPart(part string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := h.room(w, r)
		if !ok {
			return
		}
		h.Kit.RenderPart(w, r, http.StatusOK, "crisis", "crisis-"+part, v)
	}
}

// room reads the crisis of the route and all its room shows, or answers
// the error.
func (h *Room) room(w http.ResponseWriter, r *http.Request) (roomView, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return roomView{}, false
	}
	v, err := h.loadRoom(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return v, false
	}
	return v, true
}

func (h *Room) loadRoom(r *http.Request, id int64) (roomView, error) {
	ctx, tr, now := r.Context(), h.Kit.T(r), h.Kit.Now()
	c, err := h.Crises.Get(ctx, id)
	if err != nil {
		return roomView{}, err
	}
	ro := kit.Role(r)
	v := roomView{Crisis: c, Levels: catalog.Levels,
		CanCommand: authz.Can(ro, authz.CommandCrisis), CanWork: authz.Can(ro, authz.WorkTasks),
		CanWrite: authz.Can(ro, authz.WriteTimeline)}
	_, v.Basis = c.ClockStart()
	v.Figures = figures(tr, c)
	if !strings.Contains(r.URL.Path, "/fragment/") { // who is on duty is not a live part
		if v.Duty, err = teamview.Rows(ctx, h.Team, tr, now); err != nil {
			return v, err
		}
	}
	v.CanShowPublic = v.CanCommand && c.CanShowPublicly() == nil
	if t, err := h.Plans.Type(ctx, c.TypeID); err == nil {
		v.TypeName = t.Name.For(tr.Lang())
	}
	if c.PlanID != 0 {
		p, err := h.Plans.Get(ctx, c.PlanID)
		if err != nil {
			return v, err
		}
		v.Plan = &p
	}
	if c.Status == crisis.Declared && v.CanCommand {
		if v.Plans, _, err = h.Plans.List(ctx, plan.Filter{Status: plan.Approved, TypeID: c.TypeID, Limit: maxPlans}); err != nil {
			return v, err
		}
	}
	tasks, err := h.Crises.Tasks(ctx, id)
	if err != nil {
		return v, err
	}
	if v.Phases, err = h.taskPhases(r, tasks, now); err != nil {
		return v, err
	}
	namer := h.views().Namer(ctx, tr)
	namer.UseTasks(id, tasks)
	v.Clocks = panelClocks(namer, c, now)
	v.Compliance = compliance(namer, c, now)
	if v.Timeline, err = h.Crises.Timeline(ctx, id); err != nil {
		return v, err
	}
	v.Timeline = systexts(tr, v.Timeline)
	v.People = recentPeople(v.Timeline, now.Add(-peopleWindow))
	list, _, err := h.Notices.List(ctx, notice.Filter{CrisisID: id, Limit: roomMaxNotices})
	if err != nil {
		return v, err
	}
	v.Notices = roomNotices{CanDraft: authz.Can(ro, authz.EditNotice)}
	for _, n := range list {
		v.Notices.List = append(v.Notices.List, noticeRow{Notice: n, Headline: n.Headline(tr.Lang())})
	}
	v.Viewers = h.Kit.Viewers(live.CrisisTopic(id))
	return v, nil
}

// taskPhases groups tasks by phase, in the plan's order of phases.
func (h *Room) taskPhases(r *http.Request, tasks []crisis.Task, now time.Time) ([]taskPhase, error) {
	tr := h.Kit.T(r)
	deps, _, err := h.Accounts.ListDepartments(r.Context(), 0, maxDepartments)
	if err != nil {
		return nil, err
	}
	depName := make(map[int64]string, len(deps))
	for _, d := range deps {
		depName[d.ID] = d.Name
	}
	me := worker(r)
	var out []taskPhase
	for _, ph := range plan.Phases {
		g := taskPhase{Phase: ph}
		for _, t := range tasks {
			if t.Phase != ph {
				continue
			}
			owner := depName[t.OwnerDeptID]
			if t.OwnerRole != "" {
				owner = tr.T("role." + string(t.OwnerRole))
			}
			due := kit.NewClockView("", crisis.Clock{DueAt: t.DueAt, MetAt: t.DoneAt}, now)
			tv := taskView{Task: t, Owner: owner, Due: due, CanTick: crisis.CanWork(t, me) == nil}
			if t.CompletesOn != "" {
				tv.CompletesOn = completesOn(tr, t.CompletesOn)
			}
			g.Tasks = append(g.Tasks, tv)
		}
		if len(g.Tasks) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// recentPeople returns who wrote in the timeline since from, most recent
// first, each once.
func recentPeople(entries []crisis.Entry, from time.Time) []string {
	seen := map[int64]bool{}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.At.Before(from) {
			break
		}
		if e.ActorID == 0 || seen[e.ActorID] {
			continue
		}
		seen[e.ActorID] = true
		out = append(out, e.Actor)
	}
	return out
}

// routeCrisis reads the crisis named by the route's {id}, or answers 404
// or the error and reports false.
func (h *Room) routeCrisis(w http.ResponseWriter, r *http.Request) (crisis.Crisis, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return crisis.Crisis{}, false
	}
	c, err := h.Crises.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return c, false
	}
	return c, true
}

// crisisEvents streams a crisis's changes as Server-Sent Events. The
// events say what changed; the page fetches the parts it shows again.
func (h *Room) crisisEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := h.Crises.Get(r.Context(), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Stream(w, r, live.CrisisTopic(id))
}
