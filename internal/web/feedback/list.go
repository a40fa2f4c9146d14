package feedback

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// row is one line of the list: the contact always masked.
type row struct {
	F       feedback.Feedback
	Contact string
	Overdue bool
}

// listView is the list with its filters.
type listView struct {
	Rows       []row
	Pager      kit.Pager
	Filter     feedback.Filter
	Overdue    bool
	States     []feedback.State
	Categories []feedback.Category
	Channels   []feedback.Channel
	Crises     []crisis.Crisis
	Tags       []string
	Query      string
	ExportQ    string // the filters, for the export links
	CanExport  bool
	CanRecord  bool
	CanLinks   bool
}

// filterOf reads the list's filters from the query.
func filterOf(r *http.Request, h *Room) feedback.Filter {
	q := r.URL.Query()
	return feedback.Filter{State: feedback.State(q.Get("state")), Category: feedback.Category(q.Get("category")),
		Channel: feedback.Channel(q.Get("channel")), CrisisID: kit.QueryInt(r, "crisis"), Tag: strings.TrimSpace(q.Get("tag")),
		Overdue: q.Get("overdue") != "", Now: h.Kit.Now(), Query: strings.TrimSpace(q.Get("q"))}
}

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page := kit.PageParam(r)
	f := filterOf(r, h)
	f.Offset, f.Limit = kit.Offset(page), kit.PerPage
	list, total, err := h.Feedback.List(ctx, f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tags, err := h.Feedback.Tags(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	cs, _, err := h.Crises.List(ctx, crisis.Filter{Limit: 100})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	now := h.Kit.Now()
	v := listView{Pager: kit.NewPager(r, page, total), Filter: f, Overdue: f.Overdue, States: feedback.States,
		Categories: feedback.Categories, Channels: feedback.Channels, Crises: cs, Tags: tags, Query: f.Query,
		ExportQ: r.URL.RawQuery, CanExport: authz.Can(kit.Role(r), authz.FeedbackContact),
		CanRecord: authz.Can(kit.Role(r), authz.SubmitFeedback), CanLinks: authz.Can(kit.Role(r), authz.FeedbackLinks)}
	for _, fb := range list {
		v.Rows = append(v.Rows, row{F: fb, Contact: feedback.MaskContact(fb.Contact), Overdue: fb.Overdue(now)})
	}
	h.Kit.Render(w, r, http.StatusOK, "feedback_list", v)
}

// exportColumns head the export.
var exportColumns = []string{"ref", "received", "channel", "source", "category", "priority", "state", "crisis_id", "owner_id",
	"tags", "reply_due", "overdue", "message", "contact", "reply", "replied_at", "action", "merged_into", "correction_id", "faq"}

// export writes the filtered feedback as CSV or XLSX, with contacts in
// full: only the roles that may see them reach it.
func (h *Room) export(w http.ResponseWriter, r *http.Request) {
	f := filterOf(r, h)
	var all []feedback.Feedback
	for offset := 0; ; offset += 500 {
		f.Offset, f.Limit = offset, 500
		list, _, err := h.Feedback.List(r.Context(), f)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		all = append(all, list...)
		if len(list) < 500 {
			break
		}
	}
	now := h.Kit.Now()
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err := kit.WriteExport(&buf, format, "Feedback", func(sw sheet.Writer) error {
		if err := sw.Write(exportColumns...); err != nil {
			return err
		}
		for _, fb := range all {
			yes := func(b bool) string {
				if b {
					return "yes"
				}
				return ""
			}
			if err := sw.Write(fb.Ref, kit.FormatTime(fb.CreatedAt, h.Kit.Location()), string(fb.Channel), string(fb.Source),
				string(fb.Category), string(fb.Priority), string(fb.State), idText(fb.CrisisID), idText(fb.OwnerID),
				strings.Join(fb.Tags, ", "), kit.FormatTime(fb.ReplyDue, h.Kit.Location()), yes(fb.Overdue(now)),
				fb.Message, fb.Contact, fb.Reply, timeText(h, fb.RepliedAt), fb.ActionNote, idText(fb.MergedInto),
				idText(fb.CorrectionID), yes(fb.FAQ.Published())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Logger().InfoContext(r.Context(), "feedback exported", "rows", len(all), "by", kit.Actor(r).Name)
	kit.SendExport(w, format, "feedback", buf.Bytes())
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return kit.Itoa(id)
}

func timeText(h *Room, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return kit.FormatTime(t, h.Kit.Location())
}
