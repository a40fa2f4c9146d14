package notices

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/feed/capnotice"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// maxCAPBytes is the largest CAP message the import reads, as the API's.
const maxCAPBytes = 1 << 20

// maxImportBody is the import form: a message pasted (percent-encoded, so
// up to three times larger) or uploaded, and a little more.
const maxImportBody = 3*maxCAPBytes + 1<<16

// importForm is the CAP import page's form.
type importForm struct {
	XML      string
	CrisisID int64
}

// capReason is one reason a message was refused, at its element.
type capReason struct {
	Where   string // e.g. info[0].urgency; "" for the document
	Message string // the parser's own words, in English
}

type importView struct {
	Form    importForm
	Crises  []crisis.Crisis
	Errors  kit.FieldErrors
	Reasons []capReason
}

func (h *Room) importNoticePage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("crisis"), 10, 64)
	h.renderImport(w, r, http.StatusOK, importView{Form: importForm{CrisisID: id}, Errors: kit.FieldErrors{}})
}

// importNotice reads an upstream agency's CAP 1.2 message, pasted or
// uploaded, as a draft public notice (capnotice.FromCAP says what is
// refused and why), optionally for a crisis, and opens the draft.
func (h *Room) importNotice(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	v := importView{Form: importForm{XML: unixNewlines(r.PostFormValue("xml")), CrisisID: kit.FormInt(r, "crisis_id")}, Errors: kit.FieldErrors{}}
	data, key := readCAP(r, &v.Form)
	if key != "" {
		v.Errors["xml"] = tr.T(key)
		h.renderImport(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	n, err := draftFromCAP(data)
	if err == nil && v.Form.CrisisID != 0 {
		err = h.attachCrisis(r, &n, v.Form.CrisisID)
	}
	if err == nil {
		n, err = h.Notices.Create(r.Context(), kit.Actor(r), n)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(n.ID)+"?done=notice_created")
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.Kit.Fail(w, r, err)
		return
	}
	switch f := fault.As(err); f.Field {
	case "crisis_id":
		v.Errors["crisis_id"] = tr.T("editor.import.err.crisis")
	case "crisis_exercise":
		v.Errors["crisis_id"] = tr.T("editor.import.err.exercise")
	default:
		v.Errors["xml"] = tr.T("editor.import.err.refused")
		v.Reasons = capReasons(err)
	}
	h.renderImport(w, r, http.StatusUnprocessableEntity, v)
}

// readCAP returns the message pasted or uploaded; a file's text goes into
// the form, so that a refused message can be corrected in place. key
// names the problem, if any.
func readCAP(r *http.Request, f *importForm) (data []byte, key string) {
	file, _, err := r.FormFile("file")
	switch {
	case err == nil:
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, maxCAPBytes+1))
		switch {
		case err != nil:
			return nil, "editor.import.err.file"
		case len(data) == 0:
			// an empty file field: the pasted text decides
		case strings.TrimSpace(f.XML) != "":
			return nil, "editor.import.err.both"
		case len(data) > maxCAPBytes:
			return nil, "editor.import.err.too_large"
		default:
			if utf8.Valid(data) {
				f.XML = unixNewlines(string(data))
			}
			return data, ""
		}
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
	default:
		return nil, "editor.import.err.file"
	}
	switch {
	case strings.TrimSpace(f.XML) == "":
		return nil, "editor.import.err.empty"
	case len(f.XML) > maxCAPBytes:
		return nil, "editor.import.err.too_large"
	}
	return []byte(f.XML), ""
}

// draftFromCAP parses and converts a message; errors are fault.Invalid.
func draftFromCAP(data []byte) (notice.Notice, error) {
	alert, err := cap.Parse(data)
	if err != nil {
		return notice.Notice{}, err
	}
	return capnotice.FromCAP(alert)
}

// attachCrisis puts the draft under crisis id. A drill's message may join
// a drill only: the store makes a notice of a real crisis real.
func (h *Room) attachCrisis(r *http.Request, n *notice.Notice, id int64) error {
	c, err := h.Crises.Get(r.Context(), id)
	switch {
	case fault.Is(err, fault.NotFound):
		return fault.Field("crisis_id", "crisis %d does not exist", id)
	case err != nil:
		return err
	case n.Exercise && !c.Exercise:
		return fault.Field("crisis_exercise", "an exercise message cannot join a real crisis")
	}
	n.CrisisID = c.ID
	return nil
}

// capReasons lists each reason of a refusal with the element it names.
func capReasons(err error) []capReason {
	var list []*fault.Error
	if ce, ok := errors.AsType[cap.Errors](err); ok {
		list = ce
	} else {
		list = kit.FieldsOf(err)
	}
	out := make([]capReason, 0, len(list))
	for _, e := range list {
		msg := e.Message
		if e.Err != nil { // the XML decoder's words: where the document breaks
			msg += ": " + e.Err.Error()
		}
		out = append(out, capReason{Where: e.Field, Message: msg})
	}
	return out
}

func (h *Room) renderImport(w http.ResponseWriter, r *http.Request, status int, v importView) {
	list, _, err := h.Crises.List(r.Context(), crisis.Filter{Open: true, Limit: 200})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Crises = list
	h.Kit.Render(w, r, status, "notice_import", v)
}
