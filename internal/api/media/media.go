// Package media is the API's room for the media desk: the directory of
// journalists and the inquiry log.
package media

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/press"
)

// Room holds what the media operations need; every field is required.
type Room struct {
	Press press.Service
	Clock clock.Clock // for the reply-by defaults and lateness
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"media"}
	kit.Register(k, kit.Can(authz.ViewMedia), op{OperationID: "list-journalists", Method: http.MethodGet, Path: "/media/journalists", Tags: tags,
		Summary: "List the journalists", Description: "Contacts are masked unless the caller may manage the directory."}, r.listJournalists)
	kit.Register(k, kit.Can(authz.ManageMedia), op{OperationID: "create-journalist", Method: http.MethodPost, Path: "/media/journalists", Tags: tags,
		Summary: "Add a journalist", DefaultStatus: http.StatusCreated}, r.createJournalist)
	kit.Register(k, kit.Can(authz.ViewMedia), op{OperationID: "list-inquiries", Method: http.MethodGet, Path: "/media/inquiries", Tags: tags,
		Summary: "List the media inquiries, open ones first"}, r.listInquiries)
	kit.Register(k, kit.Can(authz.AnswerInquiry), op{OperationID: "log-inquiry", Method: http.MethodPost, Path: "/media/inquiries", Tags: tags,
		Summary: "Log a media inquiry and start its reply-by clock", DefaultStatus: http.StatusCreated}, r.logInquiry)
	kit.Register(k, kit.Can(authz.ViewMedia), op{OperationID: "get-inquiry", Method: http.MethodGet, Path: "/media/inquiries/{id}", Tags: tags,
		Summary: "Get a media inquiry", Errors: []int{nf}}, r.getInquiry)
	kit.Register(k, kit.Can(authz.AnswerInquiry), op{OperationID: "answer-inquiry", Method: http.MethodPost, Path: "/media/inquiries/{id}/answer", Tags: tags,
		Summary: "Record the reply to a media inquiry", Errors: []int{nf, cf}}, r.answer)
}

// Journalist is a journalist as the API shows them.
type Journalist struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Outlet   string   `json:"outlet"`
	Language string   `json:"language" doc:"zh-Hant, zh-Hans or en"`
	Beat     string   `json:"beat,omitempty"`
	Email    string   `json:"email,omitempty"`
	Phone    string   `json:"phone,omitempty" doc:"E.164"`
	Channels []string `json:"channels" nullable:"false" doc:"email, phone and/or sms: how they agreed to be contacted"`
	Consent  bool     `json:"consent" doc:"They agreed to receive press releases"`
	Active   bool     `json:"active"`
	Version  int64    `json:"version"`
}

func toJournalist(j press.Journalist, personal bool) Journalist {
	out := Journalist{ID: j.ID, Name: j.Name, Outlet: j.Outlet, Language: j.Language, Beat: j.Beat, Email: j.Email, Phone: j.Phone,
		Channels: kit.OrEmpty(j.Channels), Consent: j.Consent, Active: j.Active, Version: j.Version}
	if !personal {
		out.Email, out.Phone = kit.MaskAddress(channel.Email, j.Email), kit.MaskAddress(channel.SMS, j.Phone)
	}
	return out
}

type journalistsOutput struct {
	Body struct {
		Items []Journalist `json:"items" nullable:"false"`
	}
}

func (r *Room) listJournalists(ctx context.Context, _ *struct{}) (*journalistsOutput, error) {
	js, err := r.Press.Journalists(ctx)
	if err != nil {
		return nil, err
	}
	personal := authz.Can(kit.Actor(ctx).Role, authz.ManageMedia)
	out := &journalistsOutput{}
	out.Body.Items = kit.Convert(js, func(j press.Journalist) Journalist { return toJournalist(j, personal) })
	return out, nil
}

// NewJournalist is the body that adds a journalist.
type NewJournalist struct {
	Name     string   `json:"name"`
	Outlet   string   `json:"outlet"`
	Language string   `json:"language" doc:"zh-Hant, zh-Hans or en"`
	Beat     string   `json:"beat,omitempty"`
	Email    string   `json:"email,omitempty" doc:"An e-mail address, a phone number or both"`
	Phone    string   `json:"phone,omitempty" doc:"E.164, e.g. +85291234567"`
	Channels []string `json:"channels,omitempty"`
	Consent  bool     `json:"consent,omitempty"`
}

type createJournalistInput struct {
	Body NewJournalist
}

type journalistOutput struct {
	Location string `header:"Location"`
	Body     Journalist
}

func (r *Room) createJournalist(ctx context.Context, in *createJournalistInput) (*journalistOutput, error) {
	b := in.Body
	j, err := r.Press.AddJournalist(ctx, kit.Actor(ctx), press.Journalist{Name: b.Name, Outlet: b.Outlet, Language: b.Language, Beat: b.Beat,
		Email: b.Email, Phone: b.Phone, Channels: b.Channels, Consent: b.Consent, Active: true})
	if err != nil {
		return nil, err
	}
	return &journalistOutput{Location: kit.Prefix + "/media/journalists/" + strconv.FormatInt(j.ID, 10), Body: toJournalist(j, true)}, nil
}

// Inquiry is a media inquiry as the API shows it.
type Inquiry struct {
	ID           int64      `json:"id"`
	Ref          string     `json:"ref" doc:"e.g. MQ-0042"`
	CrisisID     int64      `json:"crisis_id,omitempty"`
	JournalistID int64      `json:"journalist_id,omitempty"`
	Asker        string     `json:"asker"`
	Outlet       string     `json:"outlet"`
	Channel      string     `json:"channel"`
	Question     string     `json:"question"`
	ReceivedAt   time.Time  `json:"received_at"`
	OwnerID      int64      `json:"owner_id"`
	ReplyBy      time.Time  `json:"reply_by"`
	Reply        string     `json:"reply,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
	RepliedBy    int64      `json:"replied_by,omitempty"`
	Late         bool       `json:"late" doc:"Replied after the reply-by time, or still open past it"`
	NoticeIDs    []int64    `json:"notice_ids" nullable:"false" doc:"The notices that answered it"`
}

func toInquiry(q press.Inquiry, now time.Time) Inquiry {
	return Inquiry{ID: q.ID, Ref: q.Ref(), CrisisID: q.CrisisID, JournalistID: q.JournalistID, Asker: q.Asker, Outlet: q.Outlet,
		Channel: q.Channel, Question: q.Question, ReceivedAt: q.ReceivedAt, OwnerID: q.OwnerID, ReplyBy: q.ReplyBy, Reply: q.Reply,
		RepliedAt: kit.TimePtr(q.RepliedAt), RepliedBy: q.RepliedBy, Late: q.Late(now), NoticeIDs: kit.OrEmpty(q.NoticeIDs)}
}

type listInquiriesInput struct {
	kit.Page
	CrisisID int64 `query:"crisis_id" doc:"Only inquiries about this crisis"`
	Open     bool  `query:"open" doc:"Only inquiries not yet answered"`
}

func (r *Room) listInquiries(ctx context.Context, in *listInquiriesInput) (*kit.ListOutput[Inquiry], error) {
	list, total, err := r.Press.Inquiries(ctx, press.InquiryFilter{CrisisID: in.CrisisID, OpenOnly: in.Open, Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if in.CrisisID != 0 {
		q.Set("crisis_id", strconv.FormatInt(in.CrisisID, 10))
	}
	if in.Open {
		q.Set("open", "true")
	}
	now := r.Clock.Now()
	return kit.NewList("/media/inquiries", q, in.Page, list, total, func(x press.Inquiry) Inquiry { return toInquiry(x, now) }), nil
}

// NewInquiry is the body that logs an inquiry.
type NewInquiry struct {
	CrisisID     int64     `json:"crisis_id,omitempty"`
	JournalistID int64     `json:"journalist_id,omitempty" doc:"A journalist of the directory; or give asker"`
	Asker        string    `json:"asker,omitempty"`
	Outlet       string    `json:"outlet,omitempty"`
	Channel      string    `json:"channel" enum:"phone,email,sms,social,in_person"`
	Question     string    `json:"question"`
	ReceivedAt   time.Time `json:"received_at,omitempty" doc:"Default now"`
	OwnerID      int64     `json:"owner_id,omitempty" doc:"Who owns the reply; default the caller"`
	ReplyBy      time.Time `json:"reply_by,omitempty" doc:"Default two hours after it came in"`
}

type logInput struct {
	Body NewInquiry
}

type inquiryOutput struct {
	Location string `header:"Location"`
	Body     Inquiry
}

func (r *Room) logInquiry(ctx context.Context, in *logInput) (*inquiryOutput, error) {
	b := in.Body
	a := kit.Actor(ctx)
	if b.ReceivedAt.IsZero() {
		b.ReceivedAt = r.Clock.Now()
	}
	if b.ReplyBy.IsZero() {
		b.ReplyBy = b.ReceivedAt.Add(press.DefaultReplyWithin)
	}
	if b.OwnerID == 0 {
		b.OwnerID = a.UserID
	}
	q, err := r.Press.LogInquiry(ctx, a, press.Inquiry{CrisisID: b.CrisisID, JournalistID: b.JournalistID, Asker: b.Asker, Outlet: b.Outlet,
		Channel: b.Channel, Question: b.Question, ReceivedAt: b.ReceivedAt, OwnerID: b.OwnerID, ReplyBy: b.ReplyBy})
	if err != nil {
		return nil, err
	}
	return &inquiryOutput{Location: kit.Prefix + "/media/inquiries/" + strconv.FormatInt(q.ID, 10), Body: toInquiry(q, r.Clock.Now())}, nil
}

type idInput struct {
	ID int64 `path:"id"`
}

type oneInquiry struct {
	Body Inquiry
}

func (r *Room) getInquiry(ctx context.Context, in *idInput) (*oneInquiry, error) {
	q, err := r.Press.Inquiry(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &oneInquiry{Body: toInquiry(q, r.Clock.Now())}, nil
}

type answerInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Reply     string  `json:"reply"`
		NoticeIDs []int64 `json:"notice_ids,omitempty" doc:"The notices that answered it"`
	}
}

func (r *Room) answer(ctx context.Context, in *answerInput) (*oneInquiry, error) {
	q, err := r.Press.AnswerInquiry(ctx, kit.Actor(ctx), in.ID, in.Body.Reply, in.Body.NoticeIDs)
	if err != nil {
		return nil, err
	}
	return &oneInquiry{Body: toInquiry(q, r.Clock.Now())}, nil
}
