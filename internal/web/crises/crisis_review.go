package crises

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// reviewView is the post-crisis review: lessons and action items.
type reviewView struct {
	Crisis  crisis.Crisis
	Lessons string
	Items   []reviewItem
	Version int64
	CanEdit bool
	Errors  kit.FieldErrors
}

type reviewItem struct {
	Text  string
	Due   string // yyyy-mm-dd
	Done  bool
	Owner int64
}

func (h *Room) reviewPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	if c.Status != crisis.Closed {
		h.Kit.ErrorPageKey(w, r, http.StatusConflict, "review.not_closed")
		return
	}
	rv, err := h.Crises.Review(r.Context(), c.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := reviewView{Crisis: c, Lessons: rv.Lessons, Version: rv.Version}
	for _, it := range rv.ActionItems {
		v.Items = append(v.Items, reviewItem{Text: it.Text, Done: it.Done, Owner: it.OwnerID, Due: kit.DateText(it.DueAt)})
	}
	h.renderReview(w, r, http.StatusOK, v)
}

func (h *Room) saveReview(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	v := reviewView{Crisis: c, Lessons: strings.TrimSpace(r.PostFormValue("lessons")), Version: kit.FormInt(r, "version")}
	rv := crisis.Review{CrisisID: c.ID, Lessons: v.Lessons, Version: v.Version}
	var bad fault.Fields
	var err error
	for i := range kit.RowCount(r, "items") {
		it := reviewItem{Text: kit.RowField(r, "items", i, "text"), Due: kit.RowField(r, "items", i, "due"), Done: kit.RowField(r, "items", i, "done") != ""}
		if it.Text == "" && it.Due == "" || kit.RowField(r, "items", i, "remove") != "" {
			continue
		}
		item := crisis.ActionItem{Text: it.Text, Done: it.Done}
		if it.Due != "" {
			if item.DueAt, err = time.Parse(time.DateOnly, it.Due); err != nil {
				bad.Add(kit.RowName("items", len(v.Items), "due"), "not a date")
			}
		}
		v.Items = append(v.Items, it)
		rv.ActionItems = append(rv.ActionItems, item)
	}
	if kit.AddRow(r) == "items" {
		h.renderReview(w, r, http.StatusOK, v)
		return
	}
	err = bad.Err()
	if err == nil {
		_, err = h.Crises.SaveReview(r.Context(), kit.Actor(r), rv)
	}
	switch {
	case err == nil:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(c.ID)+"/review?done=saved")
		return
	case fault.Is(err, fault.Conflict):
		v.Errors = kit.FieldErrors{"": tr.T("err.stale")}
		h.renderReview(w, r, http.StatusConflict, v)
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors = kit.FieldErrors{"": tr.T("err.form")}
	for _, e := range kit.FieldsOf(err) {
		key := "err.required"
		if strings.HasSuffix(e.Field, ".due") {
			key = "err.date"
		}
		v.Errors[strings.Replace(e.Field, "action_items", "items", 1)] = tr.T(key)
	}
	h.renderReview(w, r, http.StatusUnprocessableEntity, v)
}

func (h *Room) renderReview(w http.ResponseWriter, r *http.Request, status int, v reviewView) {
	v.CanEdit = authz.Can(kit.Role(r), authz.EditReview)
	if v.CanEdit && (kit.AddRow(r) == "items" || len(v.Items) == 0) {
		v.Items = append(v.Items, reviewItem{})
	}
	h.Kit.Render(w, r, status, "crisis_review", v)
}
