package notices

import (
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// Follow-ups of a published notice: a correction, a cancellation or an
// all-clear. Each is a new draft that references the notice and goes
// through review and approval like any other; the published notice itself
// never changes.

func (h *Room) correctNotice(w http.ResponseWriter, r *http.Request) {
	h.followUp(w, r, func(a authz.Actor, orig notice.Notice, contents []notice.Content) (notice.Notice, error) {
		return h.Notices.Correct(r.Context(), a, orig.ID, notice.Reason(r.PostFormValue("reason")), contents)
	})
}

func (h *Room) cancelNotice(w http.ResponseWriter, r *http.Request) {
	h.followUp(w, r, func(a authz.Actor, orig notice.Notice, contents []notice.Content) (notice.Notice, error) {
		return h.Notices.Cancel(r.Context(), a, orig.ID, contents)
	})
}

func (h *Room) allClearNotice(w http.ResponseWriter, r *http.Request) {
	h.followUp(w, r, func(a authz.Actor, orig notice.Notice, contents []notice.Content) (notice.Notice, error) {
		return h.Notices.AllClear(r.Context(), a, orig.ID, contents)
	})
}

// followUp reads the per-language headline and text of the form (fields
// headline.LANG and body.LANG, for each language of the original) and
// makes the follow-up. A correction keeps the original's instruction and
// contact lines unless the form changes them.
func (h *Room) followUp(w http.ResponseWriter, r *http.Request,
	make func(authz.Actor, notice.Notice, []notice.Content) (notice.Notice, error)) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	orig, err := h.Notices.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	var contents []notice.Content
	for _, c := range orig.Contents {
		head := strings.TrimSpace(r.PostFormValue("headline." + c.Language))
		body := strings.TrimSpace(r.PostFormValue("body." + c.Language))
		if head == "" && body == "" {
			continue
		}
		contents = append(contents, notice.Content{Language: c.Language, Headline: head, Body: body,
			Instruction: c.Instruction, Contact: c.Contact})
	}
	n, err := make(kit.Actor(r), orig, contents)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(n.ID)+"?done=notice_created")
		return
	}
	h.noticeRefused(w, r, id, err, "err.followup_invalid", "")
}
