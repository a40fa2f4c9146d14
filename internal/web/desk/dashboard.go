package desk

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/live"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/teamview"
)

// dashboardView is the home page: the crises under way with their most
// urgent clock, the plans that need a review, and the reader's unread
// clock alerts.
type dashboardView struct {
	Crises []crisisview.Row
	Plans  []planAttention
	Alerts []alertView
	// DeadlineAlerts are the reader's unread alerts of deadlines (replies
	// owed, reviews due) in their words, with where each leads.
	DeadlineAlerts []deadlineAlertView
	// Waiting is what waits for the reader, the panel at the top.
	Waiting waitingView
	// CanDeclare offers "Declare a crisis".
	CanDeclare bool
	// FailedSignIns counts the failed sign-ins to the reader's account
	// since their previous sign-in, a warning on the page (not the live
	// part).
	FailedSignIns int
	// Duty is who is on duty now and next in each team role.
	Duty []teamview.Row
}

// planAttention is a plan in force whose review is overdue or near.
type planAttention struct {
	Plan       plan.Plan
	Lapsed     bool
	ReviewSoon bool
}

// alertView is an alert in the reader's words.
type alertView struct {
	crisis.Alert
	Message string
}

// deadlineAlertView is a deadline alert in the reader's words.
type deadlineAlertView struct {
	deadline.Alert
	Message string
}

// maxPlans bounds the approved versions read to flag lapsed plans; an
// office has dozens.
const maxPlans = 500

// maxDashboardCrises bounds the crises the dashboard lists.
const maxDashboardCrises = 50

func (h *Room) dashboard(w http.ResponseWriter, r *http.Request) {
	v, err := h.loadDashboard(r)
	if err == nil {
		v.FailedSignIns, err = h.failuresSinceLastSignIn(r)
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "dashboard", v)
}

// dashboardPart is the live part of the dashboard, for its script.
func (h *Room) dashboardPart(w http.ResponseWriter, r *http.Request) {
	v, err := h.loadDashboard(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.RenderPart(w, r, http.StatusOK, "dashboard", "dashboard-live", v)
}

func (h *Room) loadDashboard(r *http.Request) (dashboardView, error) {
	ctx, tr, now := r.Context(), h.Kit.T(r), h.Kit.Now()
	var v dashboardView
	open, _, err := h.Crises.List(ctx, crisis.Filter{Open: true, Limit: maxDashboardCrises})
	if err != nil {
		return v, err
	}
	if v.Crises, err = h.views().Rows(ctx, tr, open, now); err != nil {
		return v, err
	}
	approved, _, err := h.Plans.List(ctx, plan.Filter{Status: plan.Approved, Limit: maxPlans})
	if err != nil {
		return v, err
	}
	for _, p := range approved {
		if p.Lapsed(now) || p.ReviewSoon(now) {
			v.Plans = append(v.Plans, planAttention{Plan: p, Lapsed: p.Lapsed(now), ReviewSoon: p.ReviewSoon(now)})
		}
	}
	if v.Waiting, err = h.loadWaiting(r); err != nil {
		return v, err
	}
	v.CanDeclare = authz.Can(kit.Role(r), authz.DeclareCrisis)
	if v.Duty, err = teamview.Rows(ctx, h.Team, tr, now); err != nil {
		return v, err
	}
	alerts, err := h.Crises.Alerts(ctx, kit.Actor(r).UserID, true, 20)
	if err != nil {
		return v, err
	}
	namer := h.views().Namer(ctx, tr)
	crises := map[int64]crisis.Crisis{}
	for _, a := range alerts {
		c, ok := crises[a.CrisisID]
		if !ok {
			if c, err = h.Crises.Get(ctx, a.CrisisID); err != nil {
				return v, err
			}
			crises[a.CrisisID] = c
		}
		clock := a.ClockName
		for _, k := range c.Clocks {
			if k.Name == a.ClockName {
				clock = namer.Name(c, k)
			}
		}
		key := "alert.warn"
		if a.Stage == crisis.ExpiredStage {
			key = "alert.expired"
		}
		v.Alerts = append(v.Alerts, alertView{Alert: a, Message: tr.T(key, "Clock", clock, "Crisis", c.Title, "Due", h.Kit.FormatTime(a.DueAt))})
	}
	dl, err := h.Deadlines.DeadlineAlerts(ctx, kit.Actor(r).UserID, true, 20)
	if err != nil {
		return v, err
	}
	for _, a := range dl {
		v.DeadlineAlerts = append(v.DeadlineAlerts, deadlineAlertView{Alert: a, Message: kit.DeadlineAlertText(tr, a, h.Kit.Location())})
	}
	return v, nil
}

// markAlertsRead marks the listed alerts of the reader read.
func (h *Room) markAlertsRead(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	for _, s := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	if err := h.Crises.MarkAlertsRead(r.Context(), kit.Actor(r), ids); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	var noticeIDs []int64
	for _, s := range r.PostForm["notice_alert"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			noticeIDs = append(noticeIDs, id)
		}
	}
	if err := h.NoticeAlerts.MarkAlertsRead(r.Context(), kit.Actor(r), noticeIDs); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	var deadlineIDs []int64
	for _, s := range r.PostForm["deadline_alert"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			deadlineIDs = append(deadlineIDs, id)
		}
	}
	if len(deadlineIDs) > 0 {
		if err := h.Deadlines.MarkDeadlineAlertsRead(r.Context(), kit.Actor(r).UserID, deadlineIDs); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	kit.Redirect(w, r, kit.DeskPath+"?done=alerts_read")
}

// failuresSinceLastSignIn counts the failed sign-ins to the reader's
// account since their previous sign-in, for the dashboard's warning.
func (h *Room) failuresSinceLastSignIn(r *http.Request) (int, error) {
	id, ok := session.From(r.Context())
	if !ok || id.ByToken {
		return 0, nil
	}
	_, n, err := h.Accounts.FailedSignIns(r.Context(), id.User.ID, id.User.PreviousSignInAt, 0, 1)
	return n, err
}

// views shows crises for the dashboard.
func (h *Room) views() crisisview.Services {
	return crisisview.Services{Crises: h.Crises, Plans: h.Plans, Log: h.Kit.Logger()}
}

// dashboardEvents streams changes to the list of crises.
func (h *Room) dashboardEvents(w http.ResponseWriter, r *http.Request) {
	h.Kit.Stream(w, r, live.DashboardTopic)
}
