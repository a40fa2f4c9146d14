package notices

import (
	"fmt"
	"net/http"

	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// convertNotice fills the tab of language "to" with the text of tab
// "from", converted from one Chinese script to the other, for a person to
// review: the fields stay marked "converted — please review" until edited,
// and nothing is saved. With htmx it answers the tab alone; without, the
// whole editor.
func (h *Room) convertNotice(w http.ResponseWriter, r *http.Request) {
	from, to := r.FormValue("from"), r.FormValue("to")
	if !validConversion(from, to) {
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	f := readNoticeForm(r)
	f.Bad = nil // only the text converts; the rest is checked on saving
	src := f.content(from)
	var message string
	if blankContent(src) {
		message = h.Kit.T(r).T("editor.convert_empty")
	} else {
		conv, err := h.convertContent(src, to)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		f.setContent(conv)
		if f.Converted == nil {
			f.Converted = map[string]notice.Content{}
		}
		f.Converted[to] = conv
	}
	f.Active = to
	if r.Header.Get("HX-Request") == "" {
		h.renderEditorWith(w, r, f, func(v *noticeEditView) { v.Panels[panelIndex(v.Panels, to)].Message = message })
		return
	}
	p := panelOf(h.Kit.T(r), f, to, kit.FieldErrors{})
	p.Message = message
	h.Kit.RenderPart(w, r, http.StatusOK, "notice_edit", "notice-lang-fragment", p)
}

func validConversion(from, to string) bool {
	for _, c := range scriptConversions {
		if c.from == from && c.to == to {
			return true
		}
	}
	return false
}

// convertContent converts every field of c into the script of lang.
func (h *Room) convertContent(c notice.Content, lang string) (notice.Content, error) {
	out, err := h.Chinese.Content(c, lang)
	if err != nil {
		return notice.Content{}, fmt.Errorf("convert %s to %s: %w", c.Language, lang, err)
	}
	return out, nil
}

func panelIndex(ps []langPanel, lang string) int {
	for i, p := range ps {
		if p.Lang == lang {
			return i
		}
	}
	return 0
}

// renderEditorWith shows the editor for f, without errors, after change
// has adjusted the view.
func (h *Room) renderEditorWith(w http.ResponseWriter, r *http.Request, f noticeForm, change func(*noticeEditView)) {
	v, err := h.noticeEditor(r, f, "", nil)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	change(&v)
	h.Kit.Render(w, r, http.StatusOK, "notice_edit", v)
}
