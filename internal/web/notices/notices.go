package notices

import (
	"errors"
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// maxQueue is how many notices one tab of the queue shows.
const maxQueue = 200

// queueTabs are the tabs of the approval queue, in the order shown.
var queueTabs = []string{"submitted", "approved", "review", "draft"}

type queueTab struct {
	Key    string
	Href   string
	Active bool
}

type queueRow struct {
	Notice   notice.Notice
	Headline string
	Crisis   string
}

type queueView struct {
	Tabs    []queueTab
	Tab     string
	Rows    []queueRow
	Total   int
	CanEdit bool
}

func (h *Room) noticesPage(w http.ResponseWriter, r *http.Request) {
	tab := r.URL.Query().Get("tab")
	f := notice.Filter{Limit: maxQueue}
	switch tab {
	case "approved":
		f.Status = notice.Approved
	case "review":
		f.NeedsReview = true
	case "draft":
		f.Status = notice.Draft
	default:
		tab, f.Status = "submitted", notice.Submitted
	}
	list, total, err := h.Notices.List(r.Context(), f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := queueView{Tab: tab, Total: total, CanEdit: authz.Can(kit.Role(r), authz.EditNotice)}
	for _, k := range queueTabs {
		v.Tabs = append(v.Tabs, queueTab{Key: k, Href: Path + "?tab=" + k, Active: k == tab})
	}
	titles := map[int64]string{}
	for _, n := range list {
		row := queueRow{Notice: n, Headline: n.Headline(h.Kit.T(r).Lang())}
		if n.CrisisID != 0 {
			t, seen := titles[n.CrisisID]
			if !seen {
				if c, err := h.Crises.Get(r.Context(), n.CrisisID); err == nil {
					t = c.Title
				}
				titles[n.CrisisID] = t
			}
			row.Crisis = t
		}
		v.Rows = append(v.Rows, row)
	}
	h.Kit.Render(w, r, http.StatusOK, "notices", v)
}

// noticeView is one notice with what the asking user may do to it.
type noticeView struct {
	Notice               notice.Notice
	Crisis               string
	CanSubmit            bool
	CanEdit              bool // a draft, or one returned: open it in the editor
	CanApprove           bool
	CanApproveAndPublish bool // an approver who may also publish
	CanReturn            bool
	CanPublish           bool // an approved notice: through the confirmation
	CanFastPath          bool // the commander's draft from a template, without review
	CanReview            bool
	CanFollowUp          bool     // correct, cancel or clear a published notice
	Error                string   // why the last action was refused
	Problems             []string // each missing or bad field, named
	Comment              string   // what was typed into the refused form
	PublicHref           string
	NeedsReview          bool
	// Deliveries is the delivery progress of a published notice, for those
	// who may see it; nil hides the section.
	Deliveries *deliveriesView
	// Warnings is the CAP advice on an unpublished notice.
	Warnings []capWarning
}

func (h *Room) noticePage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	v, err := h.loadNotice(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Deliveries != nil {
		v.Deliveries.Message = h.retryMessage(r)
	}
	h.Kit.Render(w, r, http.StatusOK, "notice", v)
}

func (h *Room) loadNotice(r *http.Request, id int64) (noticeView, error) {
	n, err := h.Notices.Get(r.Context(), id)
	if err != nil {
		return noticeView{}, err
	}
	ro, me := kit.Role(r), kit.Actor(r).UserID
	v := noticeView{Notice: n, NeedsReview: n.NeedsReview(),
		CanSubmit: n.Status == notice.Draft && authz.Can(ro, authz.EditNotice),
		CanEdit:   n.Status == notice.Draft && authz.Can(ro, authz.EditNotice),
		// The author never approves their own notice: no button for it.
		CanApprove:           n.Status == notice.Submitted && authz.Can(ro, authz.ApproveNotice) && (me == 0 || me != n.AuthorID),
		CanReturn:            (n.Status == notice.Submitted || n.Status == notice.Approved) && authz.Can(ro, authz.ReturnNotice),
		CanPublish:           n.Status == notice.Approved && authz.Can(ro, authz.PublishNotice),
		CanApproveAndPublish: authz.Can(ro, authz.PublishNotice),
		CanFastPath:          fastPathOffered(ro, n) && h.fastPathOpen(r, n),
		CanReview:            n.NeedsReview() && authz.Can(ro, authz.ReviewNoticeAfter),
		CanFollowUp:          n.Status == notice.Published && n.Kind != notice.Cancellation && authz.Can(ro, authz.EditNotice),
	}
	v.Warnings = capWarnings(h.Kit.T(r), n, h.Kit.Now())
	if n.Status == notice.Published {
		v.PublicHref = "/notices/" + kit.Itoa(n.ID)
	}
	if n.CrisisID != 0 {
		if c, err := h.Crises.Get(r.Context(), n.CrisisID); err == nil {
			v.Crisis = c.Title
		}
	}
	if r.Method == http.MethodGet {
		h.markRead(r, n) // before the receipts, which then count this reading
	}
	if v.Deliveries, err = h.deliveriesOf(r, n); err != nil {
		return noticeView{}, err
	}
	return v, nil
}

func (h *Room) submitNotice(w http.ResponseWriter, r *http.Request) {
	h.noticeAction(w, r, "notice_submitted", func(a authz.Actor, id int64, text string) error {
		_, err := h.Notices.Submit(r.Context(), a, id, text)
		return err
	})
}

// approveNotice approves; with then=publish, from an approver who may
// publish, it goes on to the publish confirmation (nothing is published
// until that is confirmed).
func (h *Room) approveNotice(w http.ResponseWriter, r *http.Request) {
	h.noticeAction(w, r, "notice_approved", func(a authz.Actor, id int64, text string) error {
		_, err := h.Notices.Approve(r.Context(), a, id, text)
		if err == nil && r.PostFormValue("then") == "publish" && authz.Can(kit.Role(r), authz.PublishNotice) {
			kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"/publish")
			return errRedirected
		}
		return err
	})
}

// errRedirected tells noticeAction that the step succeeded and already
// answered.
var errRedirected = errors.New("redirected")

func (h *Room) returnNotice(w http.ResponseWriter, r *http.Request) {
	h.noticeAction(w, r, "notice_returned", func(a authz.Actor, id int64, text string) error {
		_, err := h.Notices.Return(r.Context(), a, id, text)
		return err
	})
}

func (h *Room) reviewNotice(w http.ResponseWriter, r *http.Request) {
	h.noticeAction(w, r, "notice_reviewed", func(a authz.Actor, id int64, text string) error {
		_, err := h.Notices.ReviewAfter(r.Context(), a, id, text)
		return err
	})
}

// noticeAction runs one workflow step on the notice of the route. A
// refusal shows the notice again with the reason at the top and the
// comment kept.
func (h *Room) noticeAction(w http.ResponseWriter, r *http.Request, done string, run func(authz.Actor, int64, string) error) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	text := r.PostFormValue("comment")
	err := run(kit.Actor(r), id, text)
	if err == errRedirected {
		return
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done="+done)
		return
	}
	invalid := "err.notice_invalid"
	if done == "notice_returned" {
		invalid = "err.notice_reason"
	}
	h.noticeRefused(w, r, id, err, invalid, text)
}

// noticeRefused shows notice id again with why the action was refused at
// the top and the comment kept. invalid is the message for invalid input.
func (h *Room) noticeRefused(w http.ResponseWriter, r *http.Request, id int64, err error, invalid, comment string) {
	var status int
	var key string
	switch fault.CodeOf(err) {
	case fault.Forbidden:
		status, key = http.StatusForbidden, "err.notice_forbidden"
	case fault.Conflict:
		status, key = http.StatusConflict, "err.notice_state"
	case fault.Invalid:
		status, key = http.StatusUnprocessableEntity, invalid
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, lerr := h.loadNotice(r, id)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	v.Error, v.Comment = h.Kit.T(r).T(key), comment
	if fault.CodeOf(err) == fault.Invalid {
		v.Problems = h.publishProblems(r, err, v.Notice)
	}
	h.Kit.Render(w, r, status, "notice", v)
}

// markRead records that the asking user opened published internal notice
// n: the read receipt of an in-app delivery (none when the notice was not
// sent to them). A failure is logged; the notice is shown all the same.
func (h *Room) markRead(r *http.Request, n notice.Notice) {
	if n.Audience != notice.Internal || n.Status != notice.Published {
		return
	}
	id, ok := session.From(r.Context())
	if !ok || id.ByToken {
		return
	}
	if err := h.Deliveries.MarkRead(r.Context(), n.ID, id.User.ID); err != nil {
		h.Kit.Logger().ErrorContext(r.Context(), "web: record read receipt", "notice", n.ID, "user", id.User.ID, "err", err)
	}
}
