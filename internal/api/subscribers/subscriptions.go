package subscribers

import (
	"context"
	"strings"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/office"
	"crisisdesk/internal/subscriber"
)

// SubscriptionRequest is what someone asks for when subscribing.
type SubscriptionRequest struct {
	Channel    kit.ChannelName `json:"channel"`
	Address    string          `json:"address" maxLength:"2000" doc:"An e-mail address, a mobile number (E.164 such as +85291234567, or local, read with the office's country code) or an http(s) URL"`
	Language   string          `json:"language,omitempty" doc:"zh-Hant (the default), zh-Hans or en"`
	Categories []string        `json:"categories,omitempty" maxItems:"16" doc:"Crisis categories to be told about, e.g. natural_disaster; none means all"`
	Point      string          `json:"point,omitempty" doc:"\"lat,lon\": only notices whose area covers this place"`
	District   string          `json:"district,omitempty" doc:"Only notices whose area names this district: a code of the office's list (GET /api/v1/office), or a name"`
}

func (r SubscriptionRequest) domain() subscriber.Request {
	return subscriber.Request{Channel: string(r.Channel), Address: r.Address, Language: r.Language,
		Categories: r.Categories, Point: r.Point, District: r.District}
}

// subscriberRenames are the domain's fields the request body calls
// otherwise.
var subscriberRenames = map[string]string{"area.point": "point", "area.district": "district"}

// SubscriptionAccepted is the answer to a subscription: the same whether the
// address was new, pending or already active, so that nobody learns who
// subscribes.
type SubscriptionAccepted struct {
	Status  string `json:"status" doc:"pending: nothing is sent before the subscription is confirmed"`
	Channel string `json:"channel"`
	Address string `json:"address" doc:"The address as it is kept (normalised)"`
	Confirm string `json:"confirm" enum:"link sent,code sent,not sent" doc:"What was sent to confirm: a link (e-mail, webhook) or a six-digit code (SMS); not sent when this office has no mail server or SMS gateway yet (the subscription waits, and the staff see a warning)"`
	Secret  string `json:"secret,omitempty" doc:"New webhook subscriptions only: the whsec_… secret that signs every message, shown this once"`
}

type subscribeInput struct {
	Body SubscriptionRequest
}

type subscribeOutput struct {
	Body SubscriptionAccepted
}

func (r *Room) subscribe(ctx context.Context, in *subscribeInput) (*subscribeOutput, error) {
	req := in.Body.domain()
	p, err := r.Office.Profile(ctx)
	if err != nil {
		return nil, err
	}
	if req.Channel == channel.SMS {
		if n, ok := office.PhoneNumber(req.Address, p.CountryCode); ok {
			req.Address = n
		}
	}
	if d, ok := p.District(req.District); ok {
		req.District = strings.Join([]string{d.Code, d.Name.ZhHant, d.Name.ZhHans, d.Name.En}, "|")
	}
	c, err := r.Signup.Subscribe(ctx, req, subscriber.FromPublic)
	if err != nil {
		return nil, kit.BodyFields(err, subscriberRenames)
	}
	s := c.Subscriber
	out := SubscriptionAccepted{Status: string(subscriber.Pending), Channel: s.Channel, Address: s.Address,
		Confirm: "link sent"}
	switch {
	case !r.CanSend(s.Channel):
		out.Confirm = "not sent" // never claim what nobody can send
	case s.Channel == channel.SMS:
		out.Confirm = "code sent"
	}
	if s.Channel == channel.Webhook && !c.Already {
		out.Secret = s.Secret
	}
	return &subscribeOutput{Body: out}, nil
}

// SubscriptionState is where a subscription stands after a confirmation
// or an unsubscription.
type SubscriptionState struct {
	Status  string `json:"status" enum:"pending,active,unsubscribed"`
	Channel string `json:"channel"`
	Address string `json:"address"`
}

type subscriptionStateOutput struct {
	Body SubscriptionState
}

func stateOf(s subscriber.Subscriber) *subscriptionStateOutput {
	return &subscriptionStateOutput{Body: SubscriptionState{Status: string(s.Status), Channel: s.Channel, Address: s.Address}}
}

// ConfirmRequest confirms a subscription: with the link's token, or with
// the number and the code for SMS.
type ConfirmRequest struct {
	Token   string `json:"token,omitempty" doc:"The token of the confirmation link (e-mail, webhook)"`
	Address string `json:"address,omitempty" doc:"SMS: the mobile number subscribed"`
	Code    string `json:"code,omitempty" doc:"SMS: the six-digit code received"`
}

type confirmInput struct {
	Body ConfirmRequest
}

func (r *Room) confirmSubscription(ctx context.Context, in *confirmInput) (*subscriptionStateOutput, error) {
	b := in.Body
	var (
		s   subscriber.Subscriber
		err error
	)
	switch {
	case b.Token != "":
		s, err = r.Signup.Service.Confirm(ctx, b.Token)
	case b.Address == "" && b.Code == "":
		return nil, fault.Field("body.token", "is required: the token of the confirmation link, or address and code for SMS")
	case b.Code == "":
		return nil, fault.Field("body.code", "is required with address: the six-digit code received by SMS")
	default:
		phone, perr := subscriber.NormalizePhone(b.Address)
		if perr != nil {
			return nil, kit.BodyFields(perr, nil)
		}
		s, err = r.Signup.Service.ConfirmCode(ctx, phone, b.Code)
	}
	if err != nil {
		return nil, kit.BodyFields(err, nil)
	}
	return stateOf(s), nil
}

// UnsubscribeRequest stops a subscription.
type UnsubscribeRequest struct {
	Token string `json:"token" doc:"The token of the unsubscribe link in every message"`
}

type unsubscribeInput struct {
	Body UnsubscribeRequest
}

func (r *Room) unsubscribe(ctx context.Context, in *unsubscribeInput) (*subscriptionStateOutput, error) {
	if in.Body.Token == "" {
		return nil, fault.Field("body.token", "is required")
	}
	s, err := r.Signup.Service.Unsubscribe(ctx, in.Body.Token)
	if err != nil {
		return nil, err
	}
	return stateOf(s), nil
}
