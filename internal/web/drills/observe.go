package drills

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// consoleView is the observer's console: made for a phone, one objective
// and one rating at a time, and the observer's own notes below.
type consoleView struct {
	Drill   drill.Drill
	Ratings []drill.Rating
	Mine    []drill.Observation
	Form    observeForm
}

// observeForm is one observation as typed.
type observeForm struct {
	Objective int
	Rating    drill.Rating
	Notes     string
	Errors    kit.FieldErrors
}

var observeRules = kit.FieldKeys{
	"objective": "err.choose",
	"rating":    "drill.err.rating",
	"notes":     "err.invalid",
	"photo":     "drill.err.photo",
}

// maxObserveBody is the largest observation form: a photo and the notes.
const maxObserveBody = drill.MaxPhoto + 1<<20

// observationPhoto serves an observation's photo to those who may see
// the observation. Like every upload it is sandboxed and never runs as
// this site.
func (h *Room) observationPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	obsID, err := strconv.ParseInt(r.PathValue("obs"), 10, 64)
	if !ok || err != nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	o, data, err := h.Drills.ObservationPhoto(r.Context(), kit.Actor(r), id, obsID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", o.PhotoType)
	hd.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": o.PhotoName}))
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}

func (h *Room) consolePage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderConsole(w, r, http.StatusOK, d, observeForm{Objective: -1})
}

func (h *Room) renderConsole(w http.ResponseWriter, r *http.Request, status int, d drill.Drill, f observeForm) {
	all, err := h.Drills.Observations(r.Context(), kit.Actor(r), d.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	me := kit.Actor(r).UserID
	var mine []drill.Observation
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].ObserverID == me {
			mine = append(mine, all[i])
		}
	}
	h.Kit.Render(w, r, status, "drill_observe", consoleView{Drill: d, Ratings: drill.Ratings, Mine: mine, Form: f})
}

func (h *Room) observe(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	f := observeForm{Objective: -1, Rating: drill.Rating(r.PostFormValue("rating")), Notes: r.PostFormValue("notes")}
	if n, err := strconv.Atoi(r.PostFormValue("objective")); err == nil {
		f.Objective = n
	}
	in := drill.Observation{Objective: f.Objective, Rating: f.Rating, Notes: f.Notes}
	file, header, err := r.FormFile("photo")
	switch {
	case err == nil:
		defer file.Close()
		if in.Photo, err = io.ReadAll(io.LimitReader(file, drill.MaxPhoto+1)); err != nil {
			h.Kit.ErrorPage(w, r, http.StatusBadRequest)
			return
		}
		in.PhotoName = header.Filename
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
	default:
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	_, err = h.Drills.Observe(r.Context(), kit.Actor(r), d.ID, in)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(d.ID)+"/observe?done=drill_observed")
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, observeRules)
	switch {
	case fault.Is(err, fault.Forbidden):
		fe = kit.FieldErrors{"": tr.T("drill.err.not_observer")}
		h.Kit.Render(w, r, http.StatusForbidden, "drill_observe", consoleView{Drill: d, Ratings: drill.Ratings, Form: observeForm{Objective: -1, Errors: fe}})
		return
	case fault.Is(err, fault.Conflict):
		fe = kit.FieldErrors{"": tr.T("drill.err.state", "State", tr.T("drill.state."+string(d.State)))}
	case !invalid:
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderConsole(w, r, http.StatusUnprocessableEntity, d, f)
}
