package crises

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// timelineExport exports a crisis's timeline as CSV or as an XLSX
// workbook, by the route's extension.
func (h *Room) timelineExport(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	entries, err := h.Crises.Timeline(r.Context(), c.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	entries = systexts(tr, entries)
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "Timeline", func(sw sheet.Writer) error {
		if err := sw.Write(tr.T("timeline.csv_at"), tr.T("timeline.csv_kind"), tr.T("timeline.csv_event"),
			tr.T("timeline.csv_actor"), tr.T("timeline.csv_text"), tr.T("timeline.csv_attachment")); err != nil {
			return err
		}
		for _, e := range entries {
			if err := sw.Write(e.At.UTC().Format(time.RFC3339), string(e.Kind), e.Event, e.Actor, e.Text, e.AttachmentName); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "crisis-"+strconv.FormatInt(c.ID, 10)+"-timeline", buf.Bytes())
}

// timelineView is the printable timeline.
type timelineView struct {
	Crisis   crisis.Crisis
	TypeName string
	Timeline []crisis.Entry
	Made     time.Time
}

func (h *Room) timelinePrint(w http.ResponseWriter, r *http.Request) {
	c, ok := h.routeCrisis(w, r)
	if !ok {
		return
	}
	entries, err := h.Crises.Timeline(r.Context(), c.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := timelineView{Crisis: c, Timeline: systexts(h.Kit.T(r), entries), Made: h.Kit.Now()}
	if t, err := h.Plans.Type(r.Context(), c.TypeID); err == nil {
		v.TypeName = t.Name.For(h.Kit.T(r).Lang())
	}
	h.Kit.Render(w, r, http.StatusOK, "timeline_print", v)
}

// systexts puts each system entry's text, rendered in tr's language, into
// its Text, for the room, the exports and the print view. Entries written
// before system texts were stored as keys keep their stored text.
func systexts(tr i18n.Translator, entries []crisis.Entry) []crisis.Entry {
	for i, e := range entries {
		if e.Msg.Key != "" {
			entries[i].Text = tr.Msg(e.Msg.Key, e.Msg.Args)
		}
	}
	return entries
}
