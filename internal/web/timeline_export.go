package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/crisis"
)

// timelineCSV exports a crisis's timeline. It starts with a UTF-8 byte
// order mark, without which Excel reads Chinese as mojibake.
func (h *Handler) timelineCSV(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	entries, err := h.crises.Timeline(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tr := h.translator(r)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{tr.T("timeline.csv_at"), tr.T("timeline.csv_kind"), tr.T("timeline.csv_event"),
		tr.T("timeline.csv_actor"), tr.T("timeline.csv_text"), tr.T("timeline.csv_attachment")})
	for _, e := range entries {
		_ = cw.Write([]string{e.At.UTC().Format(time.RFC3339), string(e.Kind), e.Event,
			cell(e.Actor), cell(e.Text), cell(e.AttachmentName)})
	}
	cw.Flush()
	name := "crisis-" + strconv.FormatInt(c.ID, 10) + "-timeline.csv"
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", "attachment; filename="+name)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

// cell keeps a spreadsheet from reading text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// timelineView is the printable timeline.
type timelineView struct {
	Crisis   crisis.Crisis
	TypeName string
	Timeline []crisis.Entry
	Made     time.Time
}

func (h *Handler) timelinePrint(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	entries, err := h.crises.Timeline(r.Context(), c.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := timelineView{Crisis: c, Timeline: entries, Made: h.clock.Now()}
	if t, err := h.plans.Type(r.Context(), c.TypeID); err == nil {
		v.TypeName = t.Name.For(h.translator(r).Lang())
	}
	h.render(w, r, http.StatusOK, "timeline_print", v)
}
