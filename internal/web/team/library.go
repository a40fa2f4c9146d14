package team

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

var libraryRules = kit.FieldKeys{"title": "team.err.title", "file": "team.err.file"}

// libraryView is the shared library of training materials.
type libraryView struct {
	Materials []team.Material
	CanShare  bool
	Title     string
	Errors    kit.FieldErrors
}

// FormErrors opens the page with the upload's errors.
func (v libraryView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) libraryView(r *http.Request) (libraryView, error) {
	v := libraryView{CanShare: authz.Can(kit.Role(r), authz.ShareMaterials)}
	list, err := h.Team.Materials(r.Context())
	if err != nil {
		return v, err
	}
	for _, m := range list {
		if m, err = h.Team.Material(r.Context(), m.ID); err != nil {
			return v, err
		}
		v.Materials = append(v.Materials, m)
	}
	return v, nil
}

func (h *Room) libraryPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.libraryView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team_library", v)
}

func (h *Room) upload(w http.ResponseWriter, r *http.Request) {
	title := strings.TrimSpace(r.PostFormValue("title"))
	id := kit.FormInt(r, "material_id")
	var name, ctype string
	var size int64
	f, hdr, err := r.FormFile("file")
	if err == nil {
		defer f.Close()
		name, size, ctype = hdr.Filename, hdr.Size, hdr.Header.Get("Content-Type")
	}
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), team.ValidateUpload(title, name, size), libraryRules, libraryRules, func() error {
		_, err := h.Team.Upload(r.Context(), kit.Actor(r), id, title, r.PostFormValue("description"), name, ctype, f, size)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		v, err := h.libraryView(r)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Errors, v.Title = fe, title
		h.Kit.Render(w, r, status, "team_library", v)
	default:
		kit.Redirect(w, r, LibraryPath+"?done=team_uploaded")
	}
}

func (h *Room) download(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	n, err := strconv.Atoi(r.PathValue("n"))
	if !ok || err != nil || n <= 0 {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	v, body, err := h.Team.MaterialFile(r.Context(), id, n)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/octet-stream") // never rendered by the browser as a page
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": v.FileName}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(body)
}
