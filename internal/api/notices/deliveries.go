package notices

import (
	"context"
	"strings"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/delivery"
)

// checkNotice answers 404 for a notice that does not exist.
func (r *Room) checkNotice(ctx context.Context, id int64) error {
	_, err := r.Notices.Get(ctx, id)
	return err
}

// ChannelProgress counts one channel's deliveries of a notice by state.
type ChannelProgress struct {
	Channel string  `json:"channel"`
	Queued  int     `json:"queued"`
	Sent    int     `json:"sent"`
	Failed  int     `json:"failed" doc:"Waiting for another attempt"`
	GaveUp  int     `json:"gave_up" doc:"Finished without success; back only when retried"`
	Read    int     `json:"read" doc:"In-app deliveries read"`
	Total   int     `json:"total"`
	Done    float64 `json:"done" doc:"The share finished, sent or given up: 0 to 1"`
}

// FailedDelivery is one failed or abandoned delivery.
type FailedDelivery struct {
	ID            int64      `json:"id"`
	Channel       string     `json:"channel"`
	RecipientKind string     `json:"recipient_kind" enum:"subscriber,webhook,user"`
	Address       string     `json:"address" doc:"Masked without subscriber.personal; empty once the subscriber was deleted"`
	State         string     `json:"state" enum:"failed,gave_up"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	NextAttemptAt *time.Time `json:"next_attempt_at" doc:"Failed deliveries: when they are tried again; null for gave_up"`
}

func toFailedDelivery(d delivery.Delivery, personal bool) FailedDelivery {
	out := FailedDelivery{ID: d.ID, Channel: d.Channel, RecipientKind: d.RecipientKind, Address: d.Address,
		State: string(d.State), Attempts: d.Attempts, LastError: d.LastError}
	if d.State == delivery.Failed {
		out.NextAttemptAt = kit.TimePtr(d.NextAttemptAt)
	}
	if !personal && d.Address != "" {
		// A receiver's refusal often quotes the address.
		out.Address = kit.MaskAddress(d.Channel, d.Address)
		out.LastError = strings.ReplaceAll(d.LastError, d.Address, out.Address)
	}
	return out
}

// NoticeDeliveries is a notice's delivery progress and failures.
type NoticeDeliveries struct {
	NoticeID int64             `json:"notice_id"`
	Channels []ChannelProgress `json:"channels" nullable:"false"`
	Failures []FailedDelivery  `json:"failures" nullable:"false"`
}

type noticeDeliveriesInput struct {
	ID      int64           `path:"id"`
	Channel kit.ChannelName `query:"channel" doc:"Only this channel's failures"`
	Limit   int             `query:"limit" minimum:"1" maximum:"1000" default:"100" doc:"How many failures to list"`
}

type noticeDeliveriesOutput struct {
	Body NoticeDeliveries
}

func (r *Room) noticeDeliveries(ctx context.Context, in *noticeDeliveriesInput) (*noticeDeliveriesOutput, error) {
	if err := r.checkNotice(ctx, in.ID); err != nil {
		return nil, err
	}
	progress, err := r.Deliveries.Progress(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	failures, err := r.Deliveries.Failures(ctx, in.ID, string(in.Channel), in.Limit)
	if err != nil {
		return nil, err
	}
	personal := kit.SeesPersonal(ctx)
	return &noticeDeliveriesOutput{Body: NoticeDeliveries{NoticeID: in.ID,
		Channels: kit.Convert(progress, func(p delivery.Progress) ChannelProgress {
			return ChannelProgress{Channel: p.Channel, Queued: p.Queued, Sent: p.Sent, Failed: p.Failed, GaveUp: p.GaveUp,
				Read: p.Read, Total: p.Total(), Done: p.Done()}
		}),
		Failures: kit.Convert(failures, func(d delivery.Delivery) FailedDelivery { return toFailedDelivery(d, personal) }),
	}}, nil
}

// RetryRequest narrows a retry to one channel.
type RetryRequest struct {
	Channel kit.ChannelName `json:"channel,omitempty" doc:"Only this channel; every channel when absent"`
}

// RetryResult says how many deliveries a retry queued.
type RetryResult struct {
	Queued int `json:"queued" doc:"How many deliveries were queued again"`
}

type retryDeliveriesInput struct {
	ID   int64 `path:"id"`
	Body *RetryRequest
}

type retryDeliveriesOutput struct {
	Body RetryResult
}

func (r *Room) retryDeliveries(ctx context.Context, in *retryDeliveriesInput) (*retryDeliveriesOutput, error) {
	if err := r.checkNotice(ctx, in.ID); err != nil {
		return nil, err
	}
	ch := ""
	if in.Body != nil {
		ch = string(in.Body.Channel)
	}
	n, err := r.Deliveries.Retry(ctx, kit.Actor(ctx), in.ID, ch)
	if err != nil {
		return nil, err
	}
	return &retryDeliveriesOutput{Body: RetryResult{Queued: n}}, nil
}
