package desk

import (
	"net/http"
	"slices"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/session"
)

// inboxLimit is how many of the newest notices the inbox and its badge
// look at.
const inboxLimit = 100

// inboxRow is one internal notice as it reached the asking user.
type inboxRow struct {
	NoticeID int64
	Headline string
	Kind     notice.Kind
	Exercise bool
	SentAt   time.Time
	ReadAt   time.Time
}

// Unread reports whether the user has not opened the notice yet.
func (r inboxRow) Unread() bool { return r.ReadAt.IsZero() }

type inboxView struct {
	Rows   []inboxRow
	Unread int
}

// inbox lists the internal notices sent to the asking user in the app,
// the unread first, each newest first.
func (h *Room) inbox(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	items, err := h.Deliveries.Inbox(r.Context(), id.User.ID, inboxLimit)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	lang := tr.Lang()
	var v inboxView
	for _, it := range items {
		n, err := h.Notices.Get(r.Context(), it.NoticeID)
		if fault.Is(err, fault.NotFound) {
			continue
		}
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		row := inboxRow{NoticeID: n.ID, Headline: n.Headline(lang), Kind: n.Kind, Exercise: n.Exercise, SentAt: it.SentAt, ReadAt: it.ReadAt}
		if row.Headline == "" {
			row.Headline = tr.T("notice.title_n", "ID", n.ID)
		}
		if row.Unread() {
			v.Unread++
		}
		v.Rows = append(v.Rows, row)
	}
	slices.SortStableFunc(v.Rows, func(a, b inboxRow) int {
		switch {
		case a.Unread() == b.Unread():
			return 0
		case a.Unread():
			return -1
		}
		return 1
	})
	h.Kit.Render(w, r, http.StatusOK, "inbox", v)
}

// Unread counts a user's unread in-app notices, for the badge in the menu.
// Fragments fetched by script show no menu and skip the count; a failure
// hides the badge rather than the page.
func (h *Room) Unread(r *http.Request, userID int64) int {
	if r.Header.Get("HX-Request") != "" {
		return 0
	}
	items, err := h.Deliveries.Inbox(r.Context(), userID, inboxLimit)
	if err != nil {
		h.Kit.Logger().ErrorContext(r.Context(), "web: count unread notices", "user", userID, "err", err)
		return 0
	}
	n := 0
	for _, it := range items {
		if it.ReadAt.IsZero() {
			n++
		}
	}
	return n
}
