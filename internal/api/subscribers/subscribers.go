package subscribers

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// Subscriber is a subscriber as staff see it. Without subscriber.personal
// the address is masked and the point left out.
type Subscriber struct {
	ID             int64            `json:"id"`
	Channel        string           `json:"channel"`
	Address        string           `json:"address" doc:"Masked (j***@example.org, +852****5678, a URL's host) without subscriber.personal"`
	Masked         bool             `json:"masked" doc:"Whether address is masked and point left out"`
	Language       string           `json:"language"`
	Categories     []string         `json:"categories" nullable:"false" doc:"The crisis categories told; empty means all"`
	Point          string           `json:"point,omitempty" doc:"\"lat,lon\""`
	District       string           `json:"district,omitempty"`
	Status         subscriberStatus `json:"status"`
	Source         string           `json:"source" doc:"public (self-service), import or staff"`
	Secret         string           `json:"secret,omitempty" doc:"A webhook subscriber made by staff: its signing secret, shown in the answer that makes it and never again"`
	CreatedAt      time.Time        `json:"created_at"`
	ConfirmedAt    *time.Time       `json:"confirmed_at"`
	UnsubscribedAt *time.Time       `json:"unsubscribed_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

func toSubscriber(s subscriber.Subscriber, personal bool) Subscriber {
	out := Subscriber{ID: s.ID, Channel: s.Channel, Address: s.Address, Language: s.Language,
		Categories: kit.Convert(s.Categories, func(c catalog.Category) string { return string(c) }),
		District:   s.Area.District, Status: subscriberStatus(s.Status), Source: string(s.Source),
		CreatedAt: s.CreatedAt, ConfirmedAt: kit.TimePtr(s.ConfirmedAt), UnsubscribedAt: kit.TimePtr(s.UnsubscribedAt), UpdatedAt: s.UpdatedAt}
	if s.Area.Point != nil {
		out.Point = s.Area.Point.String()
	}
	if !personal {
		out.Address, out.Point, out.Masked = kit.MaskAddress(s.Channel, s.Address), "", true
	}
	return out
}

// subscriberStatus is a subscriber.Status.
type subscriberStatus string

// Schema lists the statuses.
func (subscriberStatus) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("pending (waiting for confirmation), active or unsubscribed", subscriber.Statuses...)
}

type listSubscribersInput struct {
	Channel kit.ChannelName  `query:"channel"`
	Status  subscriberStatus `query:"status"`
	Q       string           `query:"q" doc:"Part of the address; needs subscriber.personal"`
	After   int64            `query:"after" minimum:"0" doc:"Start after this id: the previous page's next_after"`
	Limit   int              `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

// SubscriberPage is one page of subscribers in id order.
type SubscriberPage struct {
	Items     []Subscriber `json:"items" nullable:"false"`
	Total     int          `json:"total" doc:"How many match, across all pages"`
	Limit     int          `json:"limit"`
	NextAfter int64        `json:"next_after,omitempty" doc:"Send as after for the next page; absent on the last page"`
}

type subscriberPageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page (rel=\"next\"), when there is one"`
	Body SubscriberPage
}

func (r *Room) listSubscribers(ctx context.Context, in *listSubscribersInput) (*subscriberPageOutput, error) {
	personal := kit.SeesPersonal(ctx)
	if in.Q != "" && !personal {
		// A search by address would tell a masked viewer whose address
		// is on the list, one guess at a time.
		return nil, fault.New(fault.Forbidden, "searching by address needs the permission subscriber.personal")
	}
	subs, total, err := r.Signup.Service.List(ctx, subscriber.Filter{Channel: string(in.Channel), Status: subscriber.Status(in.Status),
		Query: in.Q, AfterID: in.After, Limit: in.Limit + 1})
	if err != nil {
		return nil, err
	}
	out := &subscriberPageOutput{Body: SubscriberPage{Total: total, Limit: in.Limit}}
	if len(subs) > in.Limit {
		subs = subs[:in.Limit]
		out.Body.NextAfter = subs[len(subs)-1].ID
		q := url.Values{}
		for k, v := range map[string]string{"channel": string(in.Channel), "status": string(in.Status), "q": in.Q} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("after", strconv.FormatInt(out.Body.NextAfter, 10))
		q.Set("limit", strconv.Itoa(in.Limit))
		out.Link = kit.NextLink("/subscribers", q)
	}
	out.Body.Items = kit.Convert(subs, func(s subscriber.Subscriber) Subscriber { return toSubscriber(s, personal) })
	return out, nil
}

type subscriberIDInput struct {
	ID int64 `path:"id"`
}

type subscriberOutput struct {
	Body Subscriber
}

func (r *Room) getSubscriber(ctx context.Context, in *subscriberIDInput) (*subscriberOutput, error) {
	s, err := r.Signup.Service.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &subscriberOutput{Body: toSubscriber(s, kit.SeesPersonal(ctx))}, nil
}

// StatusCounts counts subscribers by status.
type StatusCounts struct {
	Pending      int `json:"pending"`
	Active       int `json:"active"`
	Unsubscribed int `json:"unsubscribed"`
	Total        int `json:"total"`
}

func (c *StatusCounts) add(st subscriber.Status, n int) {
	switch st {
	case subscriber.Pending:
		c.Pending += n
	case subscriber.Active:
		c.Active += n
	case subscriber.Unsubscribed:
		c.Unsubscribed += n
	}
	c.Total += n
}

// ChannelCounts counts one channel's subscribers by status.
type ChannelCounts struct {
	Channel string `json:"channel"`
	StatusCounts
}

// SubscriberCounts counts subscribers per channel, every channel listed.
type SubscriberCounts struct {
	Channels []ChannelCounts `json:"channels" nullable:"false"`
	All      StatusCounts    `json:"all" doc:"Every channel together"`
}

type subscriberCountsOutput struct {
	Body SubscriberCounts
}

func (r *Room) countSubscribers(ctx context.Context, _ *struct{}) (*subscriberCountsOutput, error) {
	counts, err := r.Signup.Service.Counts(ctx)
	if err != nil {
		return nil, err
	}
	var out SubscriberCounts
	for _, ch := range channel.Names {
		c := ChannelCounts{Channel: ch}
		for st, n := range counts[ch] {
			c.add(st, n)
			out.All.add(st, n)
		}
		out.Channels = append(out.Channels, c)
	}
	return &subscriberCountsOutput{Body: out}, nil
}

type createSubscriberInput struct {
	Body SubscriptionRequest
}

type createdSubscriberOutput struct {
	Location string `header:"Location"`
	Body     Subscriber
}

// createSubscriber adds an active subscriber on staff's word. A webhook
// may point inside the network (partners' systems often do) and gets its
// signing secret here, shown once.
func (r *Room) createSubscriber(ctx context.Context, in *createSubscriberInput) (*createdSubscriberOutput, error) {
	s, err := in.Body.domain().Validate(subscriber.FromStaff)
	if err != nil {
		return nil, kit.BodyFields(err, subscriberRenames)
	}
	if s.Channel == channel.Webhook {
		if err := r.checkURL(ctx, s.Address, "body.address"); err != nil {
			return nil, err
		}
		if s.Secret, err = r.newSecret(); err != nil {
			return nil, err
		}
	}
	s, err = r.Signup.Service.Create(ctx, kit.Actor(ctx), s)
	if err != nil {
		return nil, kit.BodyFields(err, subscriberRenames)
	}
	out := toSubscriber(s, kit.SeesPersonal(ctx))
	if s.Channel == channel.Webhook {
		out.Secret = s.Secret
	}
	return &createdSubscriberOutput{Location: kit.Prefix + "/subscribers/" + strconv.FormatInt(s.ID, 10), Body: out}, nil
}

// checkURL checks a webhook URL registered by staff, which may point
// anywhere the server can reach.
func (r *Room) checkURL(ctx context.Context, raw, field string) error {
	if err := r.Signup.CheckURL(ctx, raw, false); err != nil {
		return fault.Field(field, "%v", err)
	}
	return nil
}

// newSecret makes a webhook signing secret.
func (r *Room) newSecret() (string, error) {
	s, err := r.Signup.NewSecret()
	if err != nil {
		return "", fmt.Errorf("make a webhook secret: %w", err)
	}
	return s, nil
}

func (r *Room) deleteSubscriber(ctx context.Context, in *subscriberIDInput) (*struct{}, error) {
	if err := r.Signup.Service.Delete(ctx, kit.Actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
