package subscribers

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// maxSubscriberCSV is the largest subscriber list an admin may upload.
const maxSubscriberCSV = 20 << 20

// exportBatch is how many subscribers one read of an export takes.
const exportBatch = 1000

// importColumns are the columns the form lists: the export's, and the
// signing secret an export never holds.
var importColumns = append(slices.Clip(subscriber.CSVColumns), subscriber.SecretColumn)

// subscriberImportView is the import form and, after an upload, what it did.
type subscriberImportView struct {
	Columns []string
	Report  *subscriber.ImportReport
	Errors  kit.FieldErrors
	// Detail says what is wrong with a file that is not a subscriber
	// list, in the words of the parser.
	Detail string
}

func (h *Room) importSubscribersPage(w http.ResponseWriter, r *http.Request) {
	h.Kit.Render(w, r, http.StatusOK, "subscribers_import", subscriberImportView{Columns: importColumns})
}

// importSubscribers reads an uploaded CSV list and adds or updates its
// subscribers; the page then shows the counts and every refused row with
// its line, column and reason. A webhook row takes the secret it gives, or
// gets one made; the made ones are on the result page, once (the kit sends
// every page with Cache-Control: no-store).
func (h *Room) importSubscribers(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	v := subscriberImportView{Columns: importColumns}
	file, _, err := r.FormFile("file")
	if err != nil {
		v.Errors = kit.FieldErrors{"file": tr.T("err.subscribers_file")}
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "subscribers_import", v)
		return
	}
	defer file.Close()
	rows, report, err := subscriber.ParseCSV(file, subscriber.FromImport)
	if fault.Is(err, fault.Invalid) {
		v.Errors, v.Detail = kit.FieldErrors{"file": tr.T("err.subscribers_csv")}, fault.As(err).Message
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "subscribers_import", v)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	// A listed secret is one the sender can sign with. As in the API, the
	// "whsec_" prefix may be left out, and is added as the receivers'
	// libraries expect it.
	check := func(s string) (string, error) {
		if _, err := webhook.ParseSecret(s); err != nil {
			return "", err
		}
		if !strings.HasPrefix(s, subscriber.SecretPrefix) {
			s = subscriber.SecretPrefix + s
		}
		return s, nil
	}
	if rows, report, err = subscriber.WebhookSecrets(rows, report, check, webhook.NewSecret); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if report, err = h.Subscribers.Import(r.Context(), kit.Actor(r), rows, report); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Report = &report
	h.Kit.Render(w, r, http.StatusOK, "subscribers_import", v)
}

// exportDetail is what the audit trail keeps of an export.
type exportDetail struct {
	Filter exportFilter `json:"filter"`
	Rows   int          `json:"rows"`
}

// exportFilter is the list filter an export used; "" is no filter.
type exportFilter struct {
	Query   string `json:"q"`
	Channel string `json:"channel"`
	Status  string `json:"status"`
}

// maskQuery hides most of a search the way the list hides addresses: the
// trail cannot be erased, so an address searched for must not end up whole
// in it, and it is shown to roles that may not see addresses.
func maskQuery(q string) string {
	ch := ""
	switch {
	case strings.Contains(q, "@"):
		ch = channel.Email
	case strings.HasPrefix(q, "+"):
		ch = channel.SMS
	case strings.Contains(q, "://"):
		ch = channel.Webhook
	}
	return kit.MaskAddress(ch, q)
}

// exportSubscribers writes the subscribers the list's filter selects as a
// CSV file that the import reads back, or as an XLSX workbook. Cells a
// spreadsheet could run are neutralised (package sheet). The export is
// recorded in the audit trail first; if that fails, no file is handed out.
func (h *Room) exportSubscribers(w http.ResponseWriter, r *http.Request) {
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
		list, _, err := h.Subscribers.List(r.Context(), f)
		if err != nil {
			h.Kit.Fail(w, r, err)
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
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	if err := kit.WriteExport(&buf, format, "Subscribers", func(sw sheet.Writer) error { return subscriber.WriteExport(sw, all) }); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	// Personal data leaves the desk only once the trail says who took it.
	filter := exportFilter{Query: maskQuery(f.Query), Channel: f.Channel, Status: string(f.Status)}
	if err := h.Audit.Record(r.Context(), kit.Actor(r), "subscriber.export", "subscriber", "",
		exportDetail{Filter: filter, Rows: len(all)}); err != nil {
		h.Kit.Fail(w, r, fmt.Errorf("record subscriber export: %w", err))
		return
	}
	kit.SendExport(w, format, "subscribers-"+h.Kit.Now().UTC().Format("20060102"), buf.Bytes())
}
