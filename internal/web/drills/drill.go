package drills

import (
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// drillView is the drill page: the plan of the drill, its safety gate,
// and what the person looking may do now.
type drillView struct {
	Drill    drill.Drill
	Plan     plan.Plan
	Names    map[int64]string // users on the drill by id
	People   []account.User   // for the safety officer
	Safety   safetyForm
	Mine     []drill.Message // the viewer's messages from this drill
	Injects  []drill.Inject
	Inject   injectForm
	Channels []string

	CanPlan, CanSign, CanControl, CanStop, CanObserve, IsAuthor bool
}

// safetyForm is the safety assessment form.
type safetyForm struct {
	Hazards   string // one per line
	Measures  string
	OfficerID int64
	StopWord  string
	Lock      int64
	Errors    kit.FieldErrors
}

var safetyRules = kit.FieldKeys{
	"hazards":    "drill.err.hazards",
	"measures":   "drill.err.measures",
	"officer_id": "err.choose",
	"stop_word":  "drill.err.stop_word",
	"reason":     "drill.err.reason",
}

func safetyFormOf(d drill.Drill) safetyForm {
	return safetyForm{Hazards: strings.Join(d.Safety.Hazards, "\n"), Measures: strings.Join(d.Safety.Measures, "\n"),
		OfficerID: d.Safety.OfficerID, StopWord: d.Safety.StopWord, Lock: d.Lock}
}

func (h *Room) drillPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderDrill(w, r, http.StatusOK, d, safetyFormOf(d))
}

func (h *Room) renderDrill(w http.ResponseWriter, r *http.Request, status int, d drill.Drill, sf safetyForm) {
	h.renderDrillWith(w, r, status, d, sf, injectForm{Channel: "app"})
}

func (h *Room) renderDrillWith(w http.ResponseWriter, r *http.Request, status int, d drill.Drill, sf safetyForm, inf injectForm) {
	ctx := r.Context()
	p, err := h.Plans.Get(ctx, d.PlanID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	injects, err := h.Drills.Injects(ctx, d.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	me := kit.Actor(r)
	v := drillView{Drill: d, Plan: p, Names: map[int64]string{}, Safety: sf, IsAuthor: me.UserID == d.AuthorID,
		Injects: injects, Inject: inf, Channels: drill.InjectChannels,
		CanPlan: authz.Can(me.Role, authz.PlanDrill), CanSign: authz.Can(me.Role, authz.SignDrill),
		CanControl: authz.Can(me.Role, authz.ControlDrill),
		CanObserve: authz.Can(me.Role, authz.ObserveDrill) && (d.IsObserver(me.UserID) || d.IsEvaluator(me.UserID)),
		CanStop:    authz.Can(me.Role, authz.ControlDrill) || (me.UserID != 0 && me.UserID == d.Safety.OfficerID)}
	for _, u := range users {
		v.Names[u.ID] = label(u)
		if !u.Disabled {
			v.People = append(v.People, u)
		}
	}
	msgs, err := h.Drills.Messages(ctx, me.UserID, 20)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, m := range msgs {
		if m.DrillID == d.ID {
			v.Mine = append(v.Mine, m)
		}
	}
	h.Kit.Render(w, r, status, "drill", v)
}

// act runs a drill command from a button and shows the drill; a refusal
// with fields shows the drill page with them beside the safety form.
func (h *Room) act(w http.ResponseWriter, r *http.Request, done string, do func(id int64) (drill.Drill, error)) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := do(id)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done="+done)
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, safetyRules)
	if !invalid && !fault.Is(err, fault.Conflict) {
		h.Kit.Fail(w, r, err)
		return
	}
	d, getErr := h.Drills.Get(r.Context(), id)
	if getErr != nil {
		h.Kit.Fail(w, r, getErr)
		return
	}
	sf := safetyFormOf(d)
	status := http.StatusUnprocessableEntity
	if !invalid {
		fe, status = kit.FieldErrors{"": tr.T("drill.err.state", "State", tr.T("drill.state."+string(d.State)))}, http.StatusConflict
	} else if _, has := fe[""]; !has {
		fe[""] = tr.T("drill.err.summary")
	}
	sf.Errors = fe
	h.renderDrill(w, r, status, d, sf)
}

func (h *Room) saveSafety(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	sf := safetyForm{Hazards: r.PostFormValue("hazards"), Measures: r.PostFormValue("measures"),
		OfficerID: kit.FormInt(r, "officer_id"), StopWord: strings.TrimSpace(r.PostFormValue("stop_word")), Lock: kit.FormInt(r, "lock")}
	s := drill.Safety{Hazards: kit.SplitLines(sf.Hazards), Measures: kit.SplitLines(sf.Measures), OfficerID: sf.OfficerID, StopWord: sf.StopWord}
	_, err := h.Drills.SaveSafety(r.Context(), kit.Actor(r), id, sf.Lock, s)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=drill_safety")
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, safetyRules)
	status := http.StatusUnprocessableEntity
	switch {
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case !invalid:
		h.Kit.Fail(w, r, err)
		return
	}
	d, err := h.Drills.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	sf.Errors = fe
	h.renderDrill(w, r, status, d, sf)
}

func (h *Room) sign(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_signed", func(id int64) (drill.Drill, error) { return h.Drills.SignSafety(r.Context(), kit.Actor(r), id) })
}

func (h *Room) start(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_started", func(id int64) (drill.Drill, error) { return h.Drills.Start(r.Context(), kit.Actor(r), id) })
}

func (h *Room) stop(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_stopped", func(id int64) (drill.Drill, error) {
		return h.Drills.Stop(r.Context(), kit.Actor(r), id, r.PostFormValue("reason"))
	})
}

func (h *Room) end(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_ended", func(id int64) (drill.Drill, error) {
		return h.Drills.End(r.Context(), kit.Actor(r), id, r.PostFormValue("note"))
	})
}

// label names a user as the pages do: the display name, else the
// sign-in name.
func label(u account.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}
