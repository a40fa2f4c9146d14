package subscribers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// exportPath is the subscriber list's CSV export, exportXLSXPath the same
// as a workbook.
const (
	exportPath     = Path + "/export.csv"
	exportXLSXPath = Path + "/export.xlsx"
)

// subscribersPerPage is the length of one page of the list.
const subscribersPerPage = 50

// channelCount is one channel's subscribers by status.
type channelCount struct {
	Channel                       string
	Pending, Active, Unsubscribed int
	Total                         int
}

// subscriberRow is one subscriber as the asking user may see it.
type subscriberRow struct {
	ID         int64
	Channel    string
	Address    string // masked unless the user may see personal data
	Language   string
	Categories []catalog.Category
	Area       string
	Status     subscriber.Status
	Source     subscriber.Source
	CreatedAt  time.Time
}

// subscriberFilter is the list's query: channel, status and, for those who
// may see addresses, part of an address.
type subscriberFilter struct {
	Channel string
	Status  string
	Query   string
}

type subscribersView struct {
	Counts     []channelCount
	Filter     subscriberFilter
	Channels   []string
	Statuses   []subscriber.Status
	Rows       []subscriberRow
	Total      int
	First      string // back to the first page; "" on it
	Next       string // the next page; "" on the last
	Export     string // the export of what the filter selects
	ExportXLSX string // the same as a workbook
	CanSearch  bool   // search by address: only where addresses are shown
	CanManage  bool
	CanExport  bool
}

func (h *Room) subscribersPage(w http.ResponseWriter, r *http.Request) {
	ro := kit.Role(r)
	personal := authz.Can(ro, authz.ViewPersonalData)
	q := r.URL.Query()
	v := subscribersView{Channels: channel.Names, Statuses: subscriber.Statuses, CanSearch: personal,
		CanManage: authz.Can(ro, authz.ManageSubscribers), CanExport: personal}
	f := subscriber.Filter{Limit: subscribersPerPage + 1}
	if ch := q.Get("channel"); slices.Contains(channel.Names, ch) {
		f.Channel, v.Filter.Channel = ch, ch
	}
	if st := subscriber.Status(q.Get("status")); slices.Contains(subscriber.Statuses, st) {
		f.Status, v.Filter.Status = st, string(st)
	}
	if s := strings.TrimSpace(q.Get("q")); personal && s != "" {
		f.Query, v.Filter.Query = s, s
	}
	f.AfterID, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	counts, err := h.Subscribers.Counts(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Counts = countRows(counts)
	list, total, err := h.Subscribers.List(r.Context(), f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Total = total
	if len(list) > subscribersPerPage {
		list = list[:subscribersPerPage]
		v.Next = filterLink(Path, v.Filter, list[len(list)-1].ID)
	}
	if f.AfterID > 0 {
		v.First = filterLink(Path, v.Filter, 0)
	}
	v.Export = filterLink(exportPath, v.Filter, 0)
	v.ExportXLSX = filterLink(exportXLSXPath, v.Filter, 0)
	for _, s := range list {
		row := subscriberRow{ID: s.ID, Channel: s.Channel, Address: s.Address, Language: s.Language, Categories: s.Categories,
			Area: s.Area.District, Status: s.Status, Source: s.Source, CreatedAt: s.CreatedAt}
		if s.Area.Point != nil {
			row.Area = s.Area.Point.String()
		}
		if !personal {
			row.Address = kit.MaskAddress(s.Channel, s.Address)
			row.Area = "" // a point or district narrows a person down
		}
		v.Rows = append(v.Rows, row)
	}
	h.Kit.Render(w, r, http.StatusOK, "subscribers", v)
}

// filterLink is path with filter f and, unless 0, the subscriber id the
// page starts after.
func filterLink(path string, f subscriberFilter, after int64) string {
	q := url.Values{}
	for k, v := range map[string]string{"channel": f.Channel, "status": f.Status, "q": f.Query} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if after > 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// countRows orders the counts by channel.
func countRows(counts map[string]map[subscriber.Status]int) []channelCount {
	var out []channelCount
	for _, ch := range channel.Names {
		c := counts[ch]
		row := channelCount{Channel: ch, Pending: c[subscriber.Pending], Active: c[subscriber.Active], Unsubscribed: c[subscriber.Unsubscribed]}
		for _, n := range c {
			row.Total += n
		}
		out = append(out, row)
	}
	return out
}
