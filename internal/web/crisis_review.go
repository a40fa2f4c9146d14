package web

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
)

// reviewView is the post-crisis review: lessons and action items.
type reviewView struct {
	Crisis  crisis.Crisis
	Lessons string
	Items   []reviewItem
	Version int64
	CanEdit bool
	Errors  fieldErrors
}

type reviewItem struct {
	Text  string
	Due   string // yyyy-mm-dd
	Done  bool
	Owner int64
}

func (h *Handler) reviewPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	if c.Status != crisis.Closed {
		h.errorPageKey(w, r, http.StatusConflict, "review.not_closed")
		return
	}
	rv, err := h.crises.Review(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := reviewView{Crisis: c, Lessons: rv.Lessons, Version: rv.Version}
	for _, it := range rv.ActionItems {
		v.Items = append(v.Items, reviewItem{Text: it.Text, Done: it.Done, Owner: it.OwnerID, Due: dateText(it.DueAt)})
	}
	h.renderReview(w, r, http.StatusOK, v)
}

func (h *Handler) saveReview(w http.ResponseWriter, r *http.Request) {
	tr := h.translator(r)
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	v := reviewView{Crisis: c, Lessons: strings.TrimSpace(r.PostFormValue("lessons")), Version: formInt(r, "version")}
	rv := crisis.Review{CrisisID: c.ID, Lessons: v.Lessons, Version: v.Version}
	var bad fault.Fields
	var err error
	for i := range rowCount(r, "items") {
		it := reviewItem{Text: rowField(r, "items", i, "text"), Due: rowField(r, "items", i, "due"), Done: rowField(r, "items", i, "done") != ""}
		if it.Text == "" && it.Due == "" || rowField(r, "items", i, "remove") != "" {
			continue
		}
		item := crisis.ActionItem{Text: it.Text, Done: it.Done}
		if it.Due != "" {
			if item.DueAt, err = time.Parse(time.DateOnly, it.Due); err != nil {
				bad.Add(rowName("items", len(v.Items), "due"), "not a date")
			}
		}
		v.Items = append(v.Items, it)
		rv.ActionItems = append(rv.ActionItems, item)
	}
	if addRow(r) == "items" {
		h.renderReview(w, r, http.StatusOK, v)
		return
	}
	err = bad.Err()
	if err == nil {
		_, err = h.crises.SaveReview(r.Context(), actor(r), rv)
	}
	switch {
	case err == nil:
		redirect(w, r, "/desk/crises/"+itoa64(c.ID)+"/review?done=saved")
		return
	case fault.Is(err, fault.Conflict):
		v.Errors = fieldErrors{"": tr.T("err.stale")}
		h.renderReview(w, r, http.StatusConflict, v)
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.fail(w, r, err)
		return
	}
	v.Errors = fieldErrors{"": tr.T("err.form")}
	for _, e := range fieldsOf(err) {
		key := "err.required"
		if strings.HasSuffix(e.Field, ".due") {
			key = "err.date"
		}
		v.Errors[strings.Replace(e.Field, "action_items", "items", 1)] = tr.T(key)
	}
	h.renderReview(w, r, http.StatusUnprocessableEntity, v)
}

func (h *Handler) renderReview(w http.ResponseWriter, r *http.Request, status int, v reviewView) {
	v.CanEdit = authz.Can(role(r), authz.EditReview)
	if v.CanEdit && (addRow(r) == "items" || len(v.Items) == 0) {
		v.Items = append(v.Items, reviewItem{})
	}
	h.render(w, r, status, "crisis_review", v)
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
