package desk

import (
	"net/http"
	"slices"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// waitingView is what waits for the reader: notices to approve or to
// review, their own notices returned to them, the tasks due that are
// theirs, and the unread alerts about notices.
type waitingView struct {
	Approve  []waitingNotice
	Review   []waitingNotice
	Returned []waitingNotice
	Tasks    []waitingTask
	Alerts   []notice.StaffAlert
}

// Count is how many things wait, for the menu's badge: each notice and
// task once (an alert repeats a notice listed already).
func (v waitingView) Count() int {
	return len(v.Approve) + len(v.Review) + len(v.Returned) + len(v.Tasks)
}

// waitingNotice is a notice in the panel, its headline in the reader's
// language when it has one.
type waitingNotice struct {
	ID       int64
	CrisisID int64
	Headline string
	Since    time.Time
	Comment  string // why it was returned
}

// waitingTask is an open task of the reader's with a deadline.
type waitingTask struct {
	crisis.Task
	CrisisTitle string
	Overdue     bool
}

// waitLimit bounds the notices read for each list.
const waitLimit = 100

// loadWaiting gathers what waits for the asking user.
func (h *Room) loadWaiting(r *http.Request) (waitingView, error) {
	var v waitingView
	id, ok := session.From(r.Context())
	if !ok {
		return v, nil
	}
	ctx, u, lang := r.Context(), id.User, h.Kit.T(r).Lang()
	row := func(n notice.Notice, since time.Time) waitingNotice {
		return waitingNotice{ID: n.ID, CrisisID: n.CrisisID, Headline: n.Headline(lang), Since: since}
	}
	if authz.Can(u.Role, authz.ApproveNotice) || authz.Can(u.Role, authz.ReturnNotice) {
		submitted, _, err := h.Notices.List(ctx, notice.Filter{Status: notice.Submitted, Limit: waitLimit})
		if err != nil {
			return v, err
		}
		for _, n := range submitted {
			if n.AuthorID == u.ID {
				continue // nobody approves their own
			}
			if authz.Can(u.Role, authz.ApproveNotice) {
				v.Approve = append(v.Approve, row(n, n.SubmittedAt))
			} else {
				v.Review = append(v.Review, row(n, n.SubmittedAt))
			}
		}
	}
	if authz.Can(u.Role, authz.ReviewNoticeAfter) {
		fast, _, err := h.Notices.List(ctx, notice.Filter{NeedsReview: true, Limit: waitLimit})
		if err != nil {
			return v, err
		}
		for _, n := range fast {
			if n.PublisherID != u.ID {
				v.Review = append(v.Review, row(n, n.PublishedAt))
			}
		}
	}
	if authz.Can(u.Role, authz.EditNotice) {
		drafts, _, err := h.Notices.List(ctx, notice.Filter{Status: notice.Draft, Limit: waitLimit})
		if err != nil {
			return v, err
		}
		for _, n := range drafts {
			if n.AuthorID != u.ID || len(n.Steps) == 0 || n.Steps[len(n.Steps)-1].Action != "return" {
				continue
			}
			last := n.Steps[len(n.Steps)-1]
			w := row(n, last.At)
			w.Comment = last.Comment
			v.Returned = append(v.Returned, w)
		}
	}
	var err error
	if v.Tasks, err = h.tasksDue(r, u.ID, u.Role, u.DepartmentID); err != nil {
		return v, err
	}
	if v.Alerts, err = h.NoticeAlerts.Alerts(ctx, u.ID, true, 20); err != nil {
		return v, err
	}
	return v, nil
}

// tasksDue lists the open tasks with a deadline in the open crises that
// are the reader's: assigned to them, or to their role (and department)
// with nobody named; the soonest first.
func (h *Room) tasksDue(r *http.Request, userID int64, role authz.Role, dept int64) ([]waitingTask, error) {
	ctx, now := r.Context(), h.Kit.Now()
	open, _, err := h.Crises.List(ctx, crisis.Filter{Open: true, Limit: maxDashboardCrises})
	if err != nil {
		return nil, err
	}
	var out []waitingTask
	for _, c := range open {
		tasks, err := h.Crises.Tasks(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			mine := t.AssigneeID == userID ||
				t.AssigneeID == 0 && t.OwnerRole == role && (t.OwnerDeptID == 0 || t.OwnerDeptID == dept)
			if !mine || !t.DoneAt.IsZero() || t.DueAt.IsZero() {
				continue
			}
			out = append(out, waitingTask{Task: t, CrisisTitle: c.Title, Overdue: t.DueAt.Before(now)})
		}
	}
	slices.SortFunc(out, func(a, b waitingTask) int { return a.DueAt.Compare(b.DueAt) })
	return out, nil
}

// Waiting counts what waits for the asking user, for the menu's badge on
// the dashboard's entry.
func (h *Room) Waiting(r *http.Request, _ int64) int {
	if r.Header.Get("HX-Request") != "" {
		return 0 // a fragment has no menu
	}
	return h.countWaiting(r)
}

func (h *Room) countWaiting(r *http.Request) int {
	v, err := h.loadWaiting(r)
	if err != nil {
		h.Kit.Logger().ErrorContext(r.Context(), "web: count what waits", "err", err)
		return 0
	}
	return v.Count()
}

// waitingCount is the menu's count alone, fetched again by the pages'
// script when the dashboard stream says something changed.
func (h *Room) waitingCount(w http.ResponseWriter, r *http.Request) {
	h.Kit.RenderPart(w, r, http.StatusOK, "dashboard", "waiting-count",
		kit.NavCount{ID: "nav-dashboard", Badge: h.countWaiting(r), BadgeKey: "waiting.count", LiveSrc: WaitingPath})
}
