package notices

import (
	"net/http"

	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// draftFromTemplates drafts, in one click from the crisis room, the
// notice the activated plan's templates give for the crisis's level and
// an audience (public unless posted): every language the plan has a
// template for, with the templates' CAP fields. It saves a draft and
// publishes nothing. A commander who may take the fast path is shown the
// publish confirmation next; anyone else the draft. Without a template
// for the level the editor opens instead; a template that does not give
// a valid notice opens the editor with the errors.
func (h *Room) draftFromTemplates(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	crisisID := kit.FormInt(r, "crisis_id")
	aud := notice.Audience(r.PostFormValue("audience"))
	if !aud.Valid() {
		aud = notice.Public
	}
	editor := Path + "/new?crisis=" + kit.Itoa(crisisID) + "&audience=" + string(aud)
	c, err := h.Crises.Get(ctx, crisisID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if c.PlanID == 0 {
		kit.Redirect(w, r, editor)
		return
	}
	p, err := h.Plans.Get(ctx, c.PlanID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	ts := notice.Templates(p, c.Level, aud)
	if len(ts) == 0 {
		kit.Redirect(w, r, editor)
		return
	}
	f := blankNoticeForm()
	f.CrisisID, f.Audience = c.ID, aud
	for _, t := range ts {
		h.prefill(r, &f, p, c, t)
	}
	f.Active = f.notice().Contents[0].Language
	created, err := h.Notices.Create(ctx, kit.Actor(r), f.notice())
	if err != nil {
		h.renderEditor(w, r, http.StatusUnprocessableEntity, f, err)
		return
	}
	if h.fastPathOpen(r, created) {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(created.ID)+"/publish")
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(created.ID)+"?done=notice_created")
}
