package rumours

import (
	"crisisdesk/internal/feedback"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/web/kit"
)

// rumourView is the rumour page: its details, the edit form, the
// sightings with the form that adds one, and the answer.
type rumourView struct {
	Rumour   rumour.Rumour
	Crisis   crisis.Crisis // zero when none
	Owner    string
	Form     form
	Sighting sightingForm
	Choices  choices
	CanEdit  bool
	Took     plan.Duration // first seen to clarified
	// Questions are the feedback items that mention the rumour.
	Questions []feedback.Feedback
}

// sightingForm is the add-a-sighting form as typed.
type sightingForm struct {
	SeenAt string
	Place  string
	URL    string
	Note   string
	Errors kit.FieldErrors
}

// FormErrors implements kit.Form: the edit form's, else the sighting's.
func (v rumourView) FormErrors() kit.FieldErrors {
	if len(v.Form.Errors) > 0 {
		return v.Form.Errors
	}
	return v.Sighting.Errors
}

var _ kit.Form = rumourView{}

func (h *Room) rumourPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.renderRumour(w, r, http.StatusOK, id, nil)
}

// renderRumour shows rumour id; edit, when given, puts a form that came
// back with errors in place.
func (h *Room) renderRumour(w http.ResponseWriter, r *http.Request, status int, id int64, edit func(*rumourView)) {
	ctx := r.Context()
	x, err := h.Rumours.Get(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	c, err := h.choices(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := rumourView{Rumour: x, Form: h.formOf(x), Choices: c, CanEdit: authz.Can(kit.Role(r), authz.EditRumour),
		Sighting: sightingForm{SeenAt: h.Kit.Now().In(h.Kit.Location()).Format(kit.DatetimeLocal)},
		Took:     plan.Duration(x.TimeToClarify().Round(time.Minute))}
	for _, u := range c.People {
		if u.ID == x.OwnerID {
			v.Owner = u.DisplayName
			if v.Owner == "" {
				v.Owner = u.Name
			}
		}
	}
	for _, cr := range c.Crises {
		if cr.ID == x.CrisisID {
			v.Crisis = cr
		}
	}
	if authz.Can(kit.Role(r), authz.ViewFeedback) {
		if v.Questions, err = h.Feedback.ByRumour(ctx, x.ID); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	if edit != nil {
		edit(&v)
	}
	h.Kit.Render(w, r, status, "rumour", v)
}

func (h *Room) addSighting(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	var img *rumour.Image
	file, header, err := r.FormFile("image")
	switch {
	case err == nil:
		defer file.Close()
		if header.Size > 0 {
			data, err := io.ReadAll(io.LimitReader(file, rumour.MaxImage+1))
			if err != nil {
				h.Kit.ErrorPage(w, r, http.StatusBadRequest)
				return
			}
			ctype, _, _ := mime.ParseMediaType(header.Header.Get("Content-Type"))
			if sniffed := http.DetectContentType(data); !strings.HasPrefix(sniffed, "image/") || sniffed != ctype {
				ctype = sniffed // what the bytes are, not what the browser said
			}
			img = &rumour.Image{Name: header.Filename, Type: ctype, Data: data}
		}
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
	default:
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	f := sightingForm{SeenAt: strings.TrimSpace(r.PostFormValue("seen_at")), Place: r.PostFormValue("place"),
		URL: r.PostFormValue("url"), Note: r.PostFormValue("note")}
	s := rumour.Sighting{Place: f.Place, URL: f.URL, Note: f.Note}
	var bad fault.Fields
	if t, err := time.ParseInLocation(kit.DatetimeLocal, f.SeenAt, h.Kit.Location()); err == nil {
		s.SeenAt = t
	} else if f.SeenAt != "" {
		bad.Add("seen_at", "not a time")
	}
	s.Normalize()
	invalid := kit.MergeFields(bad, rumour.ValidateSighting(s, img, h.Kit.Now()))
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), invalid, rules, rules, func() error {
		_, err := h.Rumours.AddSighting(r.Context(), kit.Actor(r), id, s, img)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		h.renderRumour(w, r, status, id, func(v *rumourView) { f.Errors = fe; v.Sighting = f })
	default:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=rumour_sighting#sightings")
	}
}

// image serves a sighting's screenshot, sandboxed: an upload never runs
// as this site.
func (h *Room) image(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	sid, err := strconv.ParseInt(r.PathValue("sighting"), 10, 64)
	if !ok || err != nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	s, data, err := h.Rumours.Image(r.Context(), sid)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if s.RumourID != id || !rumour.ImageTypes[s.ImageType] {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", s.ImageType)
	hd.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": s.ImageName}))
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}

// answer starts the clarification notice, prefilled in every language
// from the claim and the facts, and opens it in the notice editor.
func (h *Room) answer(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	x, err := h.Rumours.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	t := func(lang, key string, args ...any) string { return h.Catalog.For(lang).T(key, args...) }
	_, n, err := h.Rumours.Answer(r.Context(), kit.Actor(r), id, rumour.Prefill(x, i18n.Languages, t))
	switch {
	case err == nil:
		kit.Redirect(w, r, "/desk/notices/"+kit.Itoa(n.ID)+"/edit?done=rumour_answered")
	case fault.Is(err, fault.Invalid) || fault.Is(err, fault.Conflict):
		tr := h.Kit.T(r)
		msg := tr.T("rumour.err.answer_facts")
		if fault.Is(err, fault.Conflict) {
			msg = tr.T("rumour.err.answered")
		}
		h.renderRumour(w, r, http.StatusUnprocessableEntity, id, func(v *rumourView) { v.Form.Errors = kit.FieldErrors{"facts": msg} })
	default:
		h.Kit.Fail(w, r, err)
	}
}
