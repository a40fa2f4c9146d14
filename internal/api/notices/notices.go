package notices

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/feed/capnotice"
	"crisisdesk/internal/notice"
)

type noticeOutput struct {
	Body Notice
}

type createdNoticeOutput struct {
	Location string `header:"Location"`
	Body     Notice
}

func noticePath(id int64) string { return kit.Prefix + "/notices/" + strconv.FormatInt(id, 10) }

func createdNotice(n notice.Notice) (*createdNoticeOutput, error) {
	return &createdNoticeOutput{Location: noticePath(n.ID), Body: toNotice(n)}, nil
}

type noticeIDInput struct {
	ID int64 `path:"id"`
}

type listNoticesInput struct {
	kit.Page
	CrisisID    int64          `query:"crisis_id" minimum:"0" doc:"Only the notices of this crisis"`
	Status      noticeStatus   `query:"status"`
	Audience    noticeAudience `query:"audience"`
	Kind        noticeKind     `query:"kind"`
	NeedsReview bool           `query:"needs_review" doc:"Only fast-path notices still waiting for their review"`
}

func (r *Room) listNotices(ctx context.Context, in *listNoticesInput) (*kit.ListOutput[Notice], error) {
	list, total, err := r.Notices.List(ctx, notice.Filter{CrisisID: in.CrisisID, Status: notice.Status(in.Status),
		Audience: notice.Audience(in.Audience), Kind: notice.Kind(in.Kind), NeedsReview: in.NeedsReview,
		Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	filters := url.Values{"status": {string(in.Status)}, "audience": {string(in.Audience)}, "kind": {string(in.Kind)}}
	if in.CrisisID != 0 {
		filters.Set("crisis_id", strconv.FormatInt(in.CrisisID, 10))
	}
	if in.NeedsReview {
		filters.Set("needs_review", "true")
	}
	return kit.NewList("/notices", filters, in.Page, list, total, toNotice), nil
}

func (r *Room) getNotice(ctx context.Context, in *noticeIDInput) (*noticeOutput, error) {
	return shownNotice(r.Notices.Get(ctx, in.ID))
}

func shownNotice(n notice.Notice, err error) (*noticeOutput, error) {
	if err != nil {
		return nil, err
	}
	return &noticeOutput{Body: toNotice(n)}, nil
}

// noticeDraft is the body that starts a notice, and that outside tools
// script against: keep it working.
type noticeDraft struct {
	CrisisID       flexID                   `json:"crisis_id,omitempty"`
	Kind           noticeKind               `json:"kind,omitempty" doc:"alert (default) or update; the others are made from the notice they follow"`
	Audience       noticeAudience           `json:"audience"`
	Exercise       bool                     `json:"exercise,omitempty" doc:"A standalone drill; a crisis's notices follow the crisis"`
	Departments    []int64                  `json:"departments,omitempty" doc:"Internal audience: the departments told"`
	Roles          []string                 `json:"roles,omitempty" doc:"Internal audience: the team roles told"`
	Experts        bool                     `json:"experts,omitempty" doc:"Internal audience: the active outside experts are told too, by e-mail and SMS"`
	Content        map[string]NoticeContent `json:"content" doc:"The text, keyed by BCP 47 language: zh-Hant, zh-Hans, en, …"`
	CAP            NoticeCAP                `json:"cap,omitzero"`
	TemplatePlanID int64                    `json:"template_plan_id,omitempty" doc:"The plan version whose template started the draft"`
}

func roles(rs []string) []authz.Role {
	return kit.Convert(rs, func(r string) authz.Role { return authz.Role(r) })
}

type createNoticeInput struct {
	Body noticeDraft
}

func (r *Room) createNotice(ctx context.Context, in *createNoticeInput) (*createdNoticeOutput, error) {
	b := in.Body
	cs, keys := contents(b.Content)
	n, err := r.Notices.Create(ctx, kit.Actor(ctx), notice.Notice{CrisisID: int64(b.CrisisID), Kind: notice.Kind(b.Kind),
		Audience: notice.Audience(b.Audience), Exercise: b.Exercise, Departments: b.Departments, Roles: roles(b.Roles), Experts: b.Experts,
		Contents: cs, CAP: b.CAP.domain(), TemplatePlanID: b.TemplatePlanID})
	if err != nil {
		return nil, noticeFields(err, keys, nil)
	}
	return createdNotice(n)
}

// noticeSave replaces what an editor may change in an unpublished notice.
// crisis_id, kind, exercise and template_plan_id are fixed when the notice
// is made: they may be sent back as they are, and a different value is
// refused.
type noticeSave struct {
	CrisisID         flexID                   `json:"crisis_id,omitempty" doc:"As made; cannot change"`
	Kind             noticeKind               `json:"kind,omitempty" doc:"As made; cannot change"`
	Audience         noticeAudience           `json:"audience"`
	Exercise         bool                     `json:"exercise,omitempty" doc:"As made; ignored"`
	Departments      []int64                  `json:"departments,omitempty"`
	Roles            []string                 `json:"roles,omitempty"`
	Experts          bool                     `json:"experts,omitempty"`
	Content          map[string]NoticeContent `json:"content" doc:"The text, keyed by BCP 47 language"`
	CAP              NoticeCAP                `json:"cap,omitzero"`
	TemplatePlanID   int64                    `json:"template_plan_id,omitempty" doc:"As made; cannot change"`
	CorrectionReason noticeReason             `json:"correction_reason,omitempty" doc:"Corrections only"`
	Lock             int64                    `json:"lock" doc:"The lock of the notice the change is based on"`
}

type saveNoticeInput struct {
	ID   int64 `path:"id"`
	Body noticeSave
}

func (r *Room) saveNotice(ctx context.Context, in *saveNoticeInput) (*noticeOutput, error) {
	b := in.Body
	old, err := r.Notices.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	var fixed fault.Fields
	if b.CrisisID != 0 && int64(b.CrisisID) != old.CrisisID {
		fixed.Add("body.crisis_id", "is fixed when the notice is made")
	}
	if b.Kind != "" && notice.Kind(b.Kind) != old.Kind {
		fixed.Add("body.kind", "is fixed when the notice is made")
	}
	if b.TemplatePlanID != 0 && b.TemplatePlanID != old.TemplatePlanID {
		fixed.Add("body.template_plan_id", "is fixed when the notice is made")
	}
	if err := fixed.Err(); err != nil {
		return nil, err
	}
	cs, keys := contents(b.Content)
	n, err := r.Notices.Save(ctx, kit.Actor(ctx), in.ID, b.Lock, notice.Changes{Audience: notice.Audience(b.Audience),
		Departments: b.Departments, Roles: roles(b.Roles), Experts: b.Experts, Contents: cs, CAP: b.CAP.domain(),
		CorrectionReason: notice.Reason(b.CorrectionReason)})
	if err != nil {
		return nil, noticeFields(err, keys, nil)
	}
	return shownNotice(n, nil)
}

// noticeComment is the body of a workflow step.
type noticeComment struct {
	Comment string `json:"comment,omitempty" doc:"Recorded with the step"`
}

// comment is the comment sent, "" without a body.
func (in *noticeStepInput) comment() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Comment
}

// noticeStepInput is a workflow step: its body is optional, so that a
// bare POST (no Content-Type, zero length) runs the step.
type noticeStepInput struct {
	ID   int64 `path:"id"`
	Body *noticeComment
}

// noticeReturn is the body that sends a notice back to draft.
type noticeReturn struct {
	Comment string `json:"comment" doc:"Why the notice goes back"`
}

// returnNoticeInput's body is optional too: without one the comment is
// missing, which the workflow refuses naming it.
type returnNoticeInput struct {
	ID   int64 `path:"id"`
	Body *noticeReturn
}

// comment is the reason sent, "" without a body.
func (in *returnNoticeInput) comment() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Comment
}

// stepped shows the notice a workflow step returned.
func stepped(n notice.Notice, err error) (*noticeOutput, error) {
	if err != nil {
		return nil, noticeFields(err, nil, map[string]string{"reason": "comment"})
	}
	return shownNotice(n, nil)
}

func (r *Room) submitNotice(ctx context.Context, in *noticeStepInput) (*noticeOutput, error) {
	return stepped(r.Notices.Submit(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

func (r *Room) approveNotice(ctx context.Context, in *noticeStepInput) (*noticeOutput, error) {
	return stepped(r.Notices.Approve(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

func (r *Room) returnNotice(ctx context.Context, in *returnNoticeInput) (*noticeOutput, error) {
	return stepped(r.Notices.Return(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

// publishNotice is declared with PublishNotice; the service decides
// whether a commander's publish of an unapproved draft is the fast path.
func (r *Room) publishNotice(ctx context.Context, in *noticeIDInput) (*noticeOutput, error) {
	return stepped(r.Notices.Publish(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) reviewNotice(ctx context.Context, in *noticeStepInput) (*noticeOutput, error) {
	return stepped(r.Notices.ReviewAfter(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

// noticeCorrection is the body that starts a correction.
type noticeCorrection struct {
	Content map[string]NoticeContent `json:"content,omitempty" doc:"The corrected text, keyed by language; absent: start from the original's"`
	Reason  noticeReason             `json:"reason"`
}

type correctNoticeInput struct {
	ID   int64 `path:"id"`
	Body noticeCorrection
}

func (r *Room) correctNotice(ctx context.Context, in *correctNoticeInput) (*createdNoticeOutput, error) {
	cs, keys := contents(in.Body.Content)
	n, err := r.Notices.Correct(ctx, kit.Actor(ctx), in.ID, notice.Reason(in.Body.Reason), cs)
	if err != nil {
		return nil, noticeFields(err, keys, map[string]string{"correction_reason": "reason"})
	}
	return createdNotice(n)
}

// noticeFollowUp is the body that starts a cancellation or an all-clear.
type noticeFollowUp struct {
	Content map[string]NoticeContent `json:"content,omitempty" doc:"The text, keyed by language; absent: start from the original's"`
}

type followUpNoticeInput struct {
	ID   int64 `path:"id"`
	Body noticeFollowUp
}

// followedUp shows the follow-up a cancellation or an all-clear drafted;
// keys are the content keys sent, to locate errors.
func followedUp(keys []string, n notice.Notice, err error) (*createdNoticeOutput, error) {
	if err != nil {
		return nil, noticeFields(err, keys, nil)
	}
	return createdNotice(n)
}

func (r *Room) cancelNotice(ctx context.Context, in *followUpNoticeInput) (*createdNoticeOutput, error) {
	cs, keys := contents(in.Body.Content)
	n, err := r.Notices.Cancel(ctx, kit.Actor(ctx), in.ID, cs)
	return followedUp(keys, n, err)
}

func (r *Room) allClearNotice(ctx context.Context, in *followUpNoticeInput) (*createdNoticeOutput, error) {
	cs, keys := contents(in.Body.Content)
	n, err := r.Notices.AllClear(ctx, kit.Actor(ctx), in.ID, cs)
	return followedUp(keys, n, err)
}

type historyOutput struct {
	Body []Notice `nullable:"false"`
}

func (r *Room) noticeHistory(ctx context.Context, in *noticeIDInput) (*historyOutput, error) {
	list, err := r.Notices.History(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &historyOutput{Body: kit.Convert(list, toNotice)}, nil
}

// capTypes are the media types import-cap reads.
var capTypes = []string{"application/cap+xml", "application/xml", "text/xml"}

type importCAPInput struct {
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"application/cap+xml"`
}

// importCAP reads an upstream agency's CAP 1.2 message as a draft notice
// for the public (capnotice.FromCAP says what is refused and why).
func (r *Room) importCAP(ctx context.Context, in *importCAPInput) (*createdNoticeOutput, error) {
	mt, _, _ := mime.ParseMediaType(in.ContentType)
	if !slices.Contains(capTypes, mt) {
		return nil, huma.Error415UnsupportedMediaType("send the CAP message itself as application/cap+xml or application/xml")
	}
	alert, err := cap.Parse(in.RawBody)
	if err != nil {
		return nil, capProblem(err)
	}
	n, err := capnotice.FromCAP(alert)
	if err != nil {
		return nil, capProblem(err)
	}
	n, err = r.Notices.Create(ctx, kit.Actor(ctx), n)
	if err != nil {
		return nil, capProblem(err)
	}
	return createdNotice(n)
}

// capProblem is a 422 listing each reason a CAP message was refused, located
// at its element, e.g. body.info[0].area[0].polygon[0]; other errors pass.
func capProblem(err error) error {
	var errs []*fault.Error
	var ce cap.Errors
	var fields fault.Fields
	switch f := fault.As(err); {
	case f.Code != fault.Invalid:
		return err
	case errors.As(err, &ce):
		errs = ce
	case errors.As(err, &fields):
		errs = fields
	default:
		errs = []*fault.Error{f}
	}
	p := kit.ProblemOf(http.StatusUnprocessableEntity, "the CAP message was refused: "+err.Error())
	for _, e := range errs {
		loc := "body"
		if e.Field != "" {
			loc += "." + e.Field
		}
		p.Errors = append(p.Errors, &huma.ErrorDetail{Location: loc, Message: e.Message})
	}
	return p
}
