package crises

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// maxNoteBody is the largest note form: the attachment and some text.
const maxNoteBody = crisis.MaxAttachment + 1<<20

// addNote appends a person's entry to the timeline, with an optional
// file.
func (h *Room) addNote(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	var att *crisis.Attachment
	file, header, err := r.FormFile("attachment")
	switch {
	case err == nil:
		defer file.Close()
		if header.Size > 0 {
			att = &crisis.Attachment{Name: header.Filename, Type: header.Header.Get("Content-Type"), Body: file}
		}
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
	default:
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	_, err = h.Crises.AddNote(r.Context(), kit.Actor(r), id, r.PostFormValue("text"), att)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=noted#timeline")
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	msg, isText := kit.TextMessage(tr, err)
	switch {
	case isText:
	case fault.As(err).Field == "attachment":
		msg = tr.T("err.attachment")
	default:
		msg = tr.T("err.note")
	}
	h.renderRoomRefusal(w, r, id, http.StatusUnprocessableEntity, kit.FieldErrors{"note": msg})
}

// inlineTypes are the attachment types a browser may show in place;
// anything else downloads.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "application/pdf": true, "text/plain": true,
}

// attachment serves a timeline entry's file. It is sandboxed: a file a
// person uploaded never runs as this site.
func (h *Room) attachment(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	entryID, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if !ok || err != nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	e, data, err := h.Crises.Attachment(r.Context(), entryID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if e.CrisisID != id {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	ctype, disposition := e.AttachmentType, "inline"
	if base, _, err := mime.ParseMediaType(ctype); err != nil || !inlineTypes[base] {
		ctype, disposition = "application/octet-stream", "attachment"
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": e.AttachmentName}))
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}
