package web

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// maxSubscriberCSV is the largest subscriber list an admin may upload.
const maxSubscriberCSV = 20 << 20

// exportBatch is how many subscribers one read of an export takes.
const exportBatch = 1000

// subscriberImportView is the import form and, after an upload, what it did.
type subscriberImportView struct {
	Columns []string
	Report  *subscriber.ImportReport
	Errors  fieldErrors
	// Detail says what is wrong with a file that is not a subscriber
	// list, in the words of the parser.
	Detail string
}

func (h *Handler) importSubscribersPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "subscribers_import", subscriberImportView{Columns: subscriber.CSVColumns})
}

// importSubscribers reads an uploaded CSV list and adds or updates its
// subscribers; the page then shows the counts and every refused row with
// its line, column and reason.
func (h *Handler) importSubscribers(w http.ResponseWriter, r *http.Request) {
	tr := h.translator(r)
	v := subscriberImportView{Columns: subscriber.CSVColumns}
	file, _, err := r.FormFile("file")
	if err != nil {
		v.Errors = fieldErrors{"file": tr.T("err.subscribers_file")}
		h.render(w, r, http.StatusUnprocessableEntity, "subscribers_import", v)
		return
	}
	defer file.Close()
	rows, report, err := subscriber.ParseCSV(file, subscriber.FromImport)
	if fault.Is(err, fault.Invalid) {
		v.Errors, v.Detail = fieldErrors{"file": tr.T("err.subscribers_csv")}, fault.As(err).Message
		h.render(w, r, http.StatusUnprocessableEntity, "subscribers_import", v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if report, err = h.subscribers.Import(r.Context(), actor(r), rows, report); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Report = &report
	h.render(w, r, http.StatusOK, "subscribers_import", v)
}

// exportSubscribers writes the subscribers the list's filter selects as a
// CSV file that the import reads back.
func (h *Handler) exportSubscribers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := subscriber.Filter{Limit: exportBatch, Query: strings.TrimSpace(q.Get("q"))}
	if ch := q.Get("channel"); slices.Contains(channel.Names, ch) {
		f.Channel = ch
	}
	if st := subscriber.Status(q.Get("status")); slices.Contains(subscriber.Statuses, st) {
		f.Status = st
	}
	var all []subscriber.Subscriber
	for {
		list, _, err := h.subscribers.List(r.Context(), f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		all = append(all, list...)
		if len(list) < exportBatch {
			break
		}
		f.AfterID = list[len(list)-1].ID
	}
	// The whole file is made before the first byte goes out, so that a
	// failure is a clean error page rather than a cut-off file.
	var buf bytes.Buffer
	if err := subscriber.WriteCSV(&buf, all); err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="subscribers-`+h.clock.Now().UTC().Format("20060102")+`.csv"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}
