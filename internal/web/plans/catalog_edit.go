package plans

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/web/kit"
)

func (h *Room) newTypePage(w http.ResponseWriter, r *http.Request) {
	h.renderType(w, r, http.StatusOK, typeForm{Category: catalog.NaturalDisaster}, true)
}

func (h *Room) createType(w http.ResponseWriter, r *http.Request) {
	f := typeFormFrom(r)
	if kit.AddRow(r) != "" {
		h.renderType(w, r, http.StatusOK, f, true)
		return
	}
	var t catalog.Type
	fe, status, err := saveType(h.Kit.T(r), f.toType(), func(in catalog.Type) (err error) {
		t, err = h.Plans.CreateType(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderType(w, r, status, f, true)
	default:
		kit.Redirect(w, r, CatalogPath+"/"+strconv.FormatInt(t.ID, 10)+"?done=created")
	}
}

func (h *Room) typePage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.Plans.Type(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderType(w, r, http.StatusOK, typeFormOf(t), false)
}

// updateType saves an edit made from the version in the form.
func (h *Room) updateType(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := typeFormFrom(r)
	f.ID = id
	if kit.AddRow(r) != "" {
		h.renderType(w, r, http.StatusOK, f, false)
		return
	}
	fe, status, err := saveType(h.Kit.T(r), f.toType(), func(in catalog.Type) error {
		_, err := h.Plans.UpdateType(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderType(w, r, status, f, false)
	default:
		kit.Redirect(w, r, CatalogPath+"/"+strconv.FormatInt(id, 10)+"?done=saved")
	}
}
