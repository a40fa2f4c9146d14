package notices

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/fault"
)

// InboxItem is an internal notice as it reached the caller in the app.
type InboxItem struct {
	NoticeID int64      `json:"notice_id"`
	SentAt   *time.Time `json:"sent_at"`
	ReadAt   *time.Time `json:"read_at" doc:"When the caller first opened it; null while unread"`
	Read     bool       `json:"read"`
	Notice   *Notice    `json:"notice,omitempty" doc:"The notice itself"`
}

// Inbox is the caller's in-app notices, newest first.
type Inbox struct {
	Items  []InboxItem `json:"items" nullable:"false"`
	Unread int         `json:"unread" doc:"How many of items are unread"`
}

type inboxInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type inboxOutput struct {
	Body Inbox
}

func (r *Room) listInbox(ctx context.Context, in *inboxInput) (*inboxOutput, error) {
	items, err := r.Deliveries.Inbox(ctx, kit.Actor(ctx).UserID, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &inboxOutput{Body: Inbox{Items: make([]InboxItem, 0, len(items))}}
	for _, it := range items {
		item := InboxItem{NoticeID: it.NoticeID, SentAt: kit.TimePtr(it.SentAt), ReadAt: kit.TimePtr(it.ReadAt), Read: !it.ReadAt.IsZero()}
		n, err := r.Notices.Get(ctx, it.NoticeID)
		if err != nil {
			return nil, err
		}
		shown := toNotice(n)
		item.Notice = &shown
		if !item.Read {
			out.Body.Unread++
		}
		out.Body.Items = append(out.Body.Items, item)
	}
	return out, nil
}

type inboxReadInput struct {
	ID int64 `path:"id" doc:"The notice's id"`
}

// inboxReach is how far back mark-read looks for the notice in the inbox.
const inboxReach = 500

func (r *Room) markInboxRead(ctx context.Context, in *inboxReadInput) (*struct{}, error) {
	me := kit.Actor(ctx).UserID
	items, err := r.Deliveries.Inbox(ctx, me, inboxReach)
	if err != nil {
		return nil, err
	}
	found := false
	for _, it := range items {
		found = found || it.NoticeID == in.ID
	}
	if !found {
		return nil, fault.New(fault.NotFound, "notice %d is not in your inbox", in.ID)
	}
	if err := r.Deliveries.MarkRead(ctx, in.ID, me); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
