package plans

import (
	"html/template"
	"mime"
	"net/http"
	"regexp"
	"strconv"
)

// planPrint is a plan laid out for paper.
func (h *Room) planPrint(w http.ResponseWriter, r *http.Request) {
	p, ok := h.planOf(w, r)
	if !ok {
		return
	}
	doc, err := h.planDoc(r.Context(), h.Kit.T(r), p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	doc.Made = h.Kit.Now()
	h.Kit.Render(w, r, http.StatusOK, "plan_print", doc)
}

// offlineView is the go-bag copy: the plan document with its style sheet
// inline, so that the one file reads without the network.
type offlineView struct {
	Doc planDoc
	CSS template.CSS
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// planOffline downloads a plan as one self-contained HTML file.
func (h *Room) planOffline(w http.ResponseWriter, r *http.Request) {
	p, ok := h.planOf(w, r)
	if !ok {
		return
	}
	doc, err := h.planDoc(r.Context(), h.Kit.T(r), p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	doc.Made = h.Kit.Now()
	css, err := h.Kit.StaticText("offline.css")
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	buf, err := h.Kit.ExecutePart(w, r, "plan_offline", "offline", offlineView{Doc: doc, CSS: template.CSS(css)})
	if err != nil {
		h.Kit.Logger().ErrorContext(r.Context(), "web: render offline plan", "plan", p.ID, "err", err)
		h.Kit.ErrorPage(w, r, http.StatusInternalServerError)
		return
	}
	name := "plan-" + unsafeFileChars.ReplaceAllString(p.Code, "_") + "-v" + strconv.Itoa(p.Version) + ".html"
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	// The file carries its style inline, to work from a USB stick.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Kit.WriteHTML(w, r, http.StatusOK, buf)
}
