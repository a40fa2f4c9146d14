package notices

import (
	"net/http"
	"slices"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// maxFailures is how many failed deliveries a channel lists on the notice
// page; the counts above them stay complete.
const maxFailures = 50

// deliveriesView is the delivery section of a published notice's page.
type deliveriesView struct {
	NoticeID int64
	Channels []channelDeliveries
	// Polling is true while something is queued or waiting for another
	// attempt: the section then fetches itself again every two seconds.
	Polling  bool
	CanRetry bool
	Message  string // what the last retry did
	// Internal notices list who read them in the app and who not yet.
	Internal bool
	Read     []delivery.Receipt
	Unread   []delivery.Receipt
}

// channelDeliveries is one channel's progress with its failures.
type channelDeliveries struct {
	delivery.Progress
	// Bar and BarMax fill the progress bar: deliveries finished, or for
	// the in-app channel, notices read.
	Bar, BarMax int
	InApp       bool
	Retryable   bool // failed or abandoned deliveries to queue again
	Failures    []failureRow
	More        bool // more failures than listed
}

// failureRow is one failed or abandoned delivery.
type failureRow struct {
	Recipient string // masked unless the user may see personal data; "" once erased
	State     delivery.State
	Attempts  int
	LastError string
	NextAt    time.Time // when a failed delivery is tried again
}

// deliveriesOf builds the delivery section of notice n for the asking
// user; nil when n is not published or the user may not see deliveries.
func (h *Room) deliveriesOf(r *http.Request, n notice.Notice) (*deliveriesView, error) {
	ro := kit.Role(r)
	if n.Status != notice.Published || !authz.Can(ro, authz.ViewDeliveries) {
		return nil, nil
	}
	ctx := r.Context()
	progress, err := h.Deliveries.Progress(ctx, n.ID)
	if err != nil {
		return nil, err
	}
	personal := authz.Can(ro, authz.ViewPersonalData)
	v := &deliveriesView{NoticeID: n.ID, CanRetry: authz.Can(ro, authz.RetryDeliveries), Internal: n.Audience == notice.Internal}
	for _, p := range progress {
		c := channelDeliveries{Progress: p, Bar: p.Sent + p.GaveUp, BarMax: p.Total(), InApp: p.Channel == channel.App,
			Retryable: p.Channel != channel.App && p.Failed+p.GaveUp > 0}
		if c.InApp {
			c.Bar = p.Read
		}
		if p.Queued+p.Failed > 0 {
			v.Polling = true
		}
		if c.Retryable {
			list, err := h.Deliveries.Failures(ctx, n.ID, p.Channel, maxFailures+1)
			if err != nil {
				return nil, err
			}
			if len(list) > maxFailures {
				list, c.More = list[:maxFailures], true
			}
			for _, d := range list {
				row := failureRow{Recipient: d.Address, State: d.State, Attempts: d.Attempts, LastError: d.LastError}
				if !personal {
					row.Recipient = kit.MaskAddress(d.Channel, d.Address)
				}
				if d.State == delivery.Failed {
					row.NextAt = d.NextAttemptAt
				}
				c.Failures = append(c.Failures, row)
			}
		}
		v.Channels = append(v.Channels, c)
	}
	if !v.Polling {
		// Nothing queued yet may mean the fan-out has not written it.
		done, err := h.Deliveries.FanoutDone(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		v.Polling = !done
	}
	if v.Internal {
		receipts, err := h.Deliveries.Receipts(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		for _, rc := range receipts {
			if rc.ReadAt.IsZero() {
				v.Unread = append(v.Unread, rc)
			} else {
				v.Read = append(v.Read, rc)
			}
		}
	}
	return v, nil
}

// noticeDeliveries serves the delivery section alone, for the page's
// refresh while deliveries are under way.
func (h *Room) noticeDeliveries(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	n, err := h.Notices.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v, err := h.deliveriesOf(r, n)
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case v == nil:
		h.Kit.ErrorPage(w, r, http.StatusNotFound) // not published: nothing is delivered
	default:
		h.Kit.RenderPart(w, r, http.StatusOK, "notice", "notice-deliveries", noticeView{Notice: n, Deliveries: v})
	}
}

// retryChannels are the channels whose failures staff may queue again;
// in-app deliveries never fail.
var retryChannels = []string{channel.Email, channel.SMS, channel.Webhook}

func validRetryChannel(ch string) bool { return slices.Contains(retryChannels, ch) }
