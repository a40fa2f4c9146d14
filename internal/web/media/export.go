package media

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/press"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// inquiryColumns are the inquiry log's export columns.
var inquiryColumns = []string{"ref", "crisis_id", "asker", "outlet", "channel", "question", "received_at", "owner",
	"reply_by", "replied_at", "late", "reply", "notice_ids"}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// exportInquiries sends the whole inquiry log as CSV or XLSX.
func (h *Room) exportInquiries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	names, _, err := h.names(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	var all []press.Inquiry
	for offset := 0; ; offset += 500 {
		list, total, err := h.Press.Inquiries(ctx, press.InquiryFilter{Offset: offset, Limit: 500})
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		all = append(all, list...)
		if len(list) == 0 || len(all) >= total {
			break
		}
	}
	now := h.Kit.Now()
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "Inquiries", func(sw sheet.Writer) error {
		if err := sw.Write(inquiryColumns...); err != nil {
			return err
		}
		for _, q := range all {
			ids := make([]string, len(q.NoticeIDs))
			for i, n := range q.NoticeIDs {
				ids[i] = strconv.FormatInt(n, 10)
			}
			crisisID := ""
			if q.CrisisID != 0 {
				crisisID = strconv.FormatInt(q.CrisisID, 10)
			}
			if err := sw.Write(q.Ref(), crisisID, q.Asker, q.Outlet, q.Channel, q.Question, stamp(q.ReceivedAt), names[q.OwnerID],
				stamp(q.ReplyBy), stamp(q.RepliedAt), strconv.FormatBool(q.Late(now)), q.Reply, strings.Join(ids, " ")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "media-inquiries", buf.Bytes())
}
