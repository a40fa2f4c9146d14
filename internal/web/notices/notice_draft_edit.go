package notices

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// Editing a saved draft, or one the approver returned: the same editor,
// posting to Path/{id}/edit with the version it was read from (the hidden
// lock). A save on an older version — someone else saved meanwhile — is
// refused with the form kept as typed.

// editNoticePage opens a draft in the editor, with the approver's reason
// above the form when it came back.
func (h *Room) editNoticePage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	n, err := h.Notices.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if n.Status != notice.Draft {
		h.noticeRefused(w, r, id, fault.New(fault.Conflict, "only a draft is edited"), "", "")
		return
	}
	v, err := h.noticeEditor(r, formOf(n), "", nil)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "notice_edit", v)
}

// saveNotice saves the edited draft; with add_language it only adds a
// tab.
func (h *Room) saveNotice(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := readNoticeForm(r)
	f.ID = id
	if r.PostFormValue("add_language") != "" {
		f.Bad = nil
		f.addLanguage()
		status := http.StatusOK
		if len(f.Bad) > 0 {
			status = http.StatusUnprocessableEntity
		}
		h.renderEditor(w, r, status, f, kit.MergeFields(f.Bad, nil))
		return
	}
	ctx := r.Context()
	old, err := h.Notices.Get(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	// Fixed when the notice was made: a stale form cannot change them.
	f.CrisisID, f.Kind, f.TemplatePlanID = old.CrisisID, old.Kind, old.TemplatePlanID
	deps, err := h.allDepartments(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f.checkDepartments(deps)
	n := f.notice()
	if len(f.Bad) > 0 {
		h.renderEditor(w, r, http.StatusUnprocessableEntity, f, kit.MergeFields(f.Bad, notice.ValidateDraft(n)))
		return
	}
	_, err = h.Notices.Save(ctx, kit.Actor(r), id, f.Lock, notice.Changes{Audience: n.Audience, Departments: n.Departments,
		Roles: n.Roles, Experts: n.Experts, Contents: n.Contents, CAP: n.CAP, CorrectionReason: old.CorrectionReason})
	switch fault.CodeOf(err) {
	case "":
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=notice_saved")
	case fault.Conflict:
		h.editConflict(w, r, f, old)
	default:
		h.renderEditor(w, r, http.StatusUnprocessableEntity, f, err)
	}
}

// editConflict shows the editor again with what was typed, saying that
// someone else saved first, or that the notice is no longer a draft. The
// form now carries the stored version: saving again replaces theirs,
// knowingly (a notice moved on is refused again).
func (h *Room) editConflict(w http.ResponseWriter, r *http.Request, f noticeForm, stored notice.Notice) {
	key := "editor.err.saved_meanwhile"
	if stored.Status != notice.Draft {
		key = "editor.err.moved_on"
	}
	f.Lock = stored.Lock
	v, err := h.noticeEditor(r, f, "", kit.FieldErrors{"": h.Kit.T(r).T(key)})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Conflict = true
	h.Kit.Render(w, r, http.StatusConflict, "notice_edit", v)
}

// returnComment is why the approver sent n back, when the last step was
// a return.
func returnComment(n notice.Notice) *notice.Step {
	if len(n.Steps) == 0 || n.Status != notice.Draft {
		return nil
	}
	last := n.Steps[len(n.Steps)-1]
	if last.Action != "return" {
		return nil
	}
	return &last
}

// formOf is the editor's form for saved notice n: every language of the
// editor and n's own, times in the office's offset from UTC.
func formOf(n notice.Notice) noticeForm {
	f := blankNoticeForm()
	f.ID, f.Lock, f.CrisisID, f.Kind, f.Audience, f.TemplatePlanID = n.ID, n.Lock, n.CrisisID, n.Kind, n.Audience, n.TemplatePlanID
	f.Departments, f.Roles, f.Experts = n.Departments, n.Roles, n.Experts
	for _, c := range n.Contents {
		f.setContent(c)
	}
	if len(n.Contents) > 0 {
		f.Active = n.Contents[0].Language
	}
	f.CAP = n.CAP
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(time.FixedZone("form", f.TZ*60)).Format(kit.DatetimeLocal)
	}
	f.Effective, f.Expires = local(n.CAP.Effective), local(n.CAP.Expires)
	f.Polygons = strings.Join(n.CAP.Area.Polygons, "\n")
	f.Circles = strings.Join(n.CAP.Area.Circles, "\n")
	var geo []string
	for _, g := range n.CAP.Area.Geocodes {
		geo = append(geo, g.Name+"="+g.Value)
	}
	f.Geocodes = strings.Join(geo, "\n")
	return f
}
