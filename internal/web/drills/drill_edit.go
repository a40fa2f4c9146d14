package drills

import (
	"net/http"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

func (h *Room) newPage(w http.ResponseWriter, r *http.Request) {
	h.renderForm(w, r, http.StatusOK, drillForm{Kind: drill.Tabletop, Level: catalog.LevelIII.String()}, true)
}

func (h *Room) create(w http.ResponseWriter, r *http.Request) {
	f := formFrom(r)
	if kit.AddRow(r) != "" {
		h.renderForm(w, r, http.StatusOK, f, true)
		return
	}
	in, bad := h.details(f)
	var d drill.Drill
	err := kit.MergeFields(bad, nil)
	if err == nil {
		d, err = h.Drills.Create(r.Context(), kit.Actor(r), in)
	} else {
		in.Normalize()
		err = kit.MergeFields(bad, in.Validate())
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(d.ID)+"?done=drill_created")
		return
	}
	h.refuse(w, r, f, err, true)
}

// refuse shows the form again with err's fields, or the error page.
func (h *Room) refuse(w http.ResponseWriter, r *http.Request, f drillForm, err error, isNew bool) {
	tr := h.Kit.T(r)
	status := http.StatusUnprocessableEntity
	fe, ok := kit.InvalidFields(tr, err, drillRules)
	switch {
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case !ok:
		h.Kit.Fail(w, r, err)
		return
	}
	if _, has := fe[""]; !has {
		fe[""] = tr.T("drill.err.summary")
	}
	f.Errors = fe
	h.renderForm(w, r, status, f, isNew)
}

func (h *Room) editPage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderForm(w, r, http.StatusOK, h.formOf(d), false)
}

func (h *Room) save(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := formFrom(r)
	f.ID = id
	if kit.AddRow(r) != "" {
		h.renderForm(w, r, http.StatusOK, f, false)
		return
	}
	in, bad := h.details(f)
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Drills.Save(r.Context(), kit.Actor(r), id, f.Lock, in)
	} else {
		in.Normalize()
		err = kit.MergeFields(bad, in.Validate())
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=drill_saved")
		return
	}
	h.refuse(w, r, f, err, false)
}

// load reads the drill of the path, or answers the error page.
func (h *Room) load(w http.ResponseWriter, r *http.Request) (drill.Drill, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return drill.Drill{}, false
	}
	d, err := h.Drills.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return d, false
	}
	return d, true
}
