package web

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/catalog"
)

func (h *Handler) newTypePage(w http.ResponseWriter, r *http.Request) {
	h.renderType(w, r, http.StatusOK, typeForm{Category: catalog.NaturalDisaster}, true)
}

func (h *Handler) createType(w http.ResponseWriter, r *http.Request) {
	f := typeFormFrom(r)
	if addRow(r) != "" {
		h.renderType(w, r, http.StatusOK, f, true)
		return
	}
	var t catalog.Type
	fe, status, err := saveType(h.translator(r), f.toType(), func(in catalog.Type) (err error) {
		t, err = h.plans.CreateType(r.Context(), actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderType(w, r, status, f, true)
	default:
		redirect(w, r, "/catalog/"+strconv.FormatInt(t.ID, 10)+"?done=created")
	}
}

func (h *Handler) typePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.plans.Type(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderType(w, r, http.StatusOK, typeFormOf(t), false)
}

// updateType saves an edit made from the version in the form.
func (h *Handler) updateType(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	f := typeFormFrom(r)
	f.ID = id
	if addRow(r) != "" {
		h.renderType(w, r, http.StatusOK, f, false)
		return
	}
	fe, status, err := saveType(h.translator(r), f.toType(), func(in catalog.Type) error {
		_, err := h.plans.UpdateType(r.Context(), actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderType(w, r, status, f, false)
	default:
		redirect(w, r, "/catalog/"+strconv.FormatInt(id, 10)+"?done=saved")
	}
}
