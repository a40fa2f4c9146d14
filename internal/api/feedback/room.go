// Package feedback is the API's room for the public's questions and
// feedback: the staff's list, one piece of feedback, its triage and its
// reply. The public intake, POST /api/v1/feedback, is served by the
// public site beside its form (package public), so that it takes a surge
// without the staff API's per-operation limits; docs/feedback.md
// describes it.
package feedback

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/feedback"
)

// Room holds what the feedback operations need; every field is required.
type Room struct {
	Feedback feedback.Service
	Clock    clock.Clock
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	type op = huma.Operation
	tags := []string{"feedback"}
	nf, cf := http.StatusNotFound, http.StatusConflict
	kit.Register(k, kit.Can(authz.ViewFeedback), op{OperationID: "list-feedback", Method: http.MethodGet, Path: "/feedback", Tags: tags,
		Summary: "List questions and feedback, newest first; contacts masked unless the caller may see them"}, r.list)
	kit.Register(k, kit.Can(authz.ViewFeedback), op{OperationID: "get-feedback", Method: http.MethodGet, Path: "/feedback/{id}", Tags: tags,
		Summary: "Get one piece of feedback", Errors: []int{nf}}, r.get)
	kit.Register(k, kit.Can(authz.TriageFeedback), op{OperationID: "triage-feedback", Method: http.MethodPost, Path: "/feedback/{id}/triage", Tags: tags,
		Summary: "Set the category, crisis, priority, owner and tags; a new category moves the reply-by time", Errors: []int{nf, cf}}, r.triage)
	kit.Register(k, kit.Can(authz.ReplyFeedback), op{OperationID: "reply-feedback", Method: http.MethodPost, Path: "/feedback/{id}/reply", Tags: tags,
		Summary: "Reply: sent back by the channel it came in on and shown on its reference page", Errors: []int{nf, cf}}, r.reply)
}

// FAQ is an answer published in the crisis's FAQ.
type FAQ struct {
	Question    string     `json:"question"`
	Answer      string     `json:"answer"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

// Feedback is one question or piece of feedback.
type Feedback struct {
	ID           int64      `json:"id"`
	Ref          string     `json:"ref" doc:"The reference its sender looks it up by at /feedback/{ref}"`
	Channel      string     `json:"channel" enum:"web,api,sms,email,staff,link"`
	Source       string     `json:"source" enum:"public,department,expert"`
	SourceID     int64      `json:"source_id,omitempty"`
	Message      string     `json:"message"`
	Language     string     `json:"language"`
	Contact      string     `json:"contact" doc:"Masked unless the caller may see contacts (feedback.contact)"`
	CrisisID     int64      `json:"crisis_id,omitempty"`
	NoticeID     int64      `json:"notice_id,omitempty"`
	Category     string     `json:"category" enum:"question,error,complaint,suggestion,other"`
	Priority     string     `json:"priority" enum:"low,normal,high"`
	OwnerID      int64      `json:"owner_id,omitempty"`
	Tags         []string   `json:"tags" nullable:"false"`
	State        string     `json:"state" enum:"new,triaged,replied,closed,merged"`
	ReplyDue     time.Time  `json:"reply_due"`
	Overdue      bool       `json:"overdue"`
	Reply        string     `json:"reply,omitempty"`
	ReplyChannel string     `json:"reply_channel,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
	Action       string     `json:"action,omitempty"`
	MergedInto   int64      `json:"merged_into,omitempty"`
	CorrectionID int64      `json:"correction_id,omitempty"`
	FAQ          *FAQ       `json:"faq,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	Lock         int64      `json:"lock"`
}

func (r *Room) toFeedback(ctx context.Context, f feedback.Feedback) Feedback {
	out := Feedback{ID: f.ID, Ref: f.Ref, Channel: string(f.Channel), Source: string(f.Source), SourceID: f.SourceID,
		Message: f.Message, Language: f.Language, Contact: feedback.MaskContact(f.Contact), CrisisID: f.CrisisID,
		NoticeID: f.NoticeID, Category: string(f.Category), Priority: string(f.Priority), OwnerID: f.OwnerID,
		Tags: kit.OrEmpty(f.Tags), State: string(f.State), ReplyDue: f.ReplyDue, Overdue: f.Overdue(r.Clock.Now()),
		Reply: f.Reply, ReplyChannel: string(f.ReplyChannel), RepliedAt: kit.TimePtr(f.RepliedAt), Action: f.ActionNote,
		MergedInto: f.MergedInto, CorrectionID: f.CorrectionID, CreatedAt: f.CreatedAt, Lock: f.Lock}
	if authz.Can(kit.Actor(ctx).Role, authz.FeedbackContact) {
		out.Contact = f.Contact
	}
	if f.FAQ.Published() {
		out.FAQ = &FAQ{Question: f.FAQ.Question, Answer: f.FAQ.Answer, PublishedAt: kit.TimePtr(f.FAQ.PublishedAt)}
	}
	return out
}

type listInput struct {
	kit.Page
	State    string `query:"state" enum:"new,triaged,replied,closed,merged," doc:"Only this state"`
	Category string `query:"category" enum:"question,error,complaint,suggestion,other," doc:"Only this category"`
	CrisisID int64  `query:"crisis_id" doc:"Only this crisis"`
	Tag      string `query:"tag" doc:"Only feedback with this tag"`
	Overdue  bool   `query:"overdue" doc:"Only feedback waiting for a reply past its reply-by time"`
}

func (r *Room) list(ctx context.Context, in *listInput) (*kit.ListOutput[Feedback], error) {
	fs, total, err := r.Feedback.List(ctx, feedback.Filter{State: feedback.State(in.State), Category: feedback.Category(in.Category),
		CrisisID: in.CrisisID, Tag: in.Tag, Overdue: in.Overdue, Now: r.Clock.Now(), Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	q := url.Values{"state": {in.State}, "category": {in.Category}, "tag": {in.Tag}}
	if in.CrisisID != 0 {
		q.Set("crisis_id", strconv.FormatInt(in.CrisisID, 10))
	}
	if in.Overdue {
		q.Set("overdue", "true")
	}
	return kit.NewList("/feedback", q, in.Page, fs, total, func(f feedback.Feedback) Feedback { return r.toFeedback(ctx, f) }), nil
}

type idInput struct {
	ID int64 `path:"id"`
}

type output struct {
	Body Feedback
}

func (r *Room) shown(ctx context.Context, f feedback.Feedback, err error) (*output, error) {
	if err != nil {
		return nil, err
	}
	return &output{Body: r.toFeedback(ctx, f)}, nil
}

func (r *Room) get(ctx context.Context, in *idInput) (*output, error) {
	f, err := r.Feedback.Get(ctx, in.ID)
	return r.shown(ctx, f, err)
}

// Triage is the staff's decision on feedback.
type Triage struct {
	Category string   `json:"category" enum:"question,error,complaint,suggestion,other"`
	CrisisID int64    `json:"crisis_id,omitempty"`
	Priority string   `json:"priority" enum:"low,normal,high"`
	OwnerID  int64    `json:"owner_id,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Lock     int64    `json:"lock" doc:"The lock of the feedback the triage is based on"`
}

type triageInput struct {
	ID   int64 `path:"id"`
	Body Triage
}

func (r *Room) triage(ctx context.Context, in *triageInput) (*output, error) {
	t := feedback.Triage{Category: feedback.Category(in.Body.Category), CrisisID: in.Body.CrisisID,
		Priority: feedback.Priority(in.Body.Priority), OwnerID: in.Body.OwnerID, Tags: in.Body.Tags}
	f, err := r.Feedback.Triage(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, t)
	return r.shown(ctx, f, kit.BodyFields(err, nil))
}

// Reply is the answer.
type Reply struct {
	Reply string `json:"reply" maxLength:"5000" doc:"The answer, in the sender's language"`
}

type replyInput struct {
	ID   int64 `path:"id"`
	Body Reply
}

func (r *Room) reply(ctx context.Context, in *replyInput) (*output, error) {
	f, err := r.Feedback.Reply(ctx, kit.Actor(ctx), in.ID, in.Body.Reply)
	return r.shown(ctx, f, kit.BodyFields(err, nil))
}
