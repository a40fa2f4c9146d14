package media

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// inquiryRules explain the domain's validation of an inquiry and its
// answer.
var inquiryRules = kit.FieldKeys{
	"asker":         "media.err.asker",
	"outlet":        "media.err.outlet",
	"channel":       "err.choose",
	"question":      "media.err.question",
	"received_at":   "media.err.time",
	"owner_id":      "err.choose",
	"reply_by":      "media.err.reply_by",
	"crisis_id":     "err.choose",
	"journalist_id": "err.choose",
	"reply":         "media.err.reply",
	"notice_ids":    "err.choose",
}

// inquiryForm is the log-an-inquiry form, as typed.
type inquiryForm struct {
	CrisisID, JournalistID, OwnerID int64
	Asker, Outlet, Channel          string
	Question                        string
	ReceivedAt, ReplyBy             string // datetime-local in the office's zone
	Errors                          kit.FieldErrors
}

// newInquiryView is the page around the form.
type newInquiryView struct {
	Form        inquiryForm
	Crises      []crisis.Crisis
	Journalists []press.Journalist
	People      []account.User
	Channels    []string
}

// FormErrors implements kit.Form.
func (v newInquiryView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func (h *Room) renderNewInquiry(w http.ResponseWriter, r *http.Request, status int, f inquiryForm) {
	ctx := r.Context()
	cs, _, err := h.Crises.List(ctx, crisis.Filter{Open: true, Limit: 100})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	js, err := h.Press.Journalists(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	_, people, err := h.names(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "media_inquiry_new", newInquiryView{Form: f, Crises: cs, Journalists: js, People: people, Channels: press.InquiryChannels})
}

func (h *Room) newInquiryPage(w http.ResponseWriter, r *http.Request) {
	now := h.Kit.Now().In(h.Kit.Location())
	h.renderNewInquiry(w, r, http.StatusOK, inquiryForm{CrisisID: kit.QueryInt(r, "crisis"), OwnerID: kit.Actor(r).UserID,
		Channel: press.ChannelPhone, ReceivedAt: now.Format(kit.DatetimeLocal), ReplyBy: now.Add(press.DefaultReplyWithin).Format(kit.DatetimeLocal)})
}

func (h *Room) logInquiry(w http.ResponseWriter, r *http.Request) {
	f := inquiryForm{CrisisID: kit.FormInt(r, "crisis_id"), JournalistID: kit.FormInt(r, "journalist_id"), OwnerID: kit.FormInt(r, "owner_id"),
		Asker: r.PostFormValue("asker"), Outlet: r.PostFormValue("outlet"), Channel: r.PostFormValue("channel"),
		Question: r.PostFormValue("question"), ReceivedAt: strings.TrimSpace(r.PostFormValue("received_at")),
		ReplyBy: strings.TrimSpace(r.PostFormValue("reply_by"))}
	var bad fault.Fields
	parse := func(field, s string) time.Time {
		t, err := time.ParseInLocation(kit.DatetimeLocal, s, h.Kit.Location())
		if err != nil {
			bad.Add(field, "not a time")
		}
		return t.UTC()
	}
	q := press.Inquiry{CrisisID: f.CrisisID, JournalistID: f.JournalistID, OwnerID: f.OwnerID, Asker: f.Asker, Outlet: f.Outlet,
		Channel: f.Channel, Question: f.Question, ReceivedAt: parse("received_at", f.ReceivedAt), ReplyBy: parse("reply_by", f.ReplyBy)}
	err := kit.MergeFields(bad, nil)
	if err == nil {
		q, err = h.Press.LogInquiry(r.Context(), kit.Actor(r), q)
	}
	if err == nil {
		kit.Redirect(w, r, InquiriesPath+"/"+kit.Itoa(q.ID)+"?done=media_inquiry_logged")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, inquiryRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderNewInquiry(w, r, http.StatusUnprocessableEntity, f)
}

// inquiryView is one inquiry with its answer form.
type inquiryView struct {
	Q          press.Inquiry
	Owner      string
	RepliedBy  string
	Crisis     crisis.Crisis
	Journalist press.Journalist
	Late       bool
	Left       string // the time left to reply, in words, while open
	Notices    []notice.Notice
	Linked     []notice.Notice
	Reply      string
	Chosen     map[int64]bool
	CanAnswer  bool
	Errors     kit.FieldErrors
	Clock      *kit.DeadlineView // the reply-by clock; nil when none was started
}

// FormErrors implements kit.Form.
func (v inquiryView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) inquiryPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.renderInquiry(w, r, http.StatusOK, id, "", nil, nil)
}

func (h *Room) renderInquiry(w http.ResponseWriter, r *http.Request, status int, id int64, reply string, chosen []int64, fe kit.FieldErrors) {
	ctx := r.Context()
	q, err := h.Press.Inquiry(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names, _, err := h.names(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	now := h.Kit.Now()
	v := inquiryView{Q: q, Owner: names[q.OwnerID], RepliedBy: names[q.RepliedBy], Late: q.Late(now), Reply: reply,
		Chosen: map[int64]bool{}, CanAnswer: authz.Can(kit.Role(r), authz.AnswerInquiry), Errors: fe}
	if !q.Answered() {
		v.Left = left(q.ReplyBy.Sub(now))
	}
	for _, n := range chosen {
		v.Chosen[n] = true
	}
	if q.CrisisID != 0 {
		if v.Crisis, err = h.Crises.Get(ctx, q.CrisisID); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		if v.Notices, _, err = h.Notices.List(ctx, notice.Filter{CrisisID: q.CrisisID, Limit: 100}); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	for _, nid := range q.NoticeIDs {
		n, err := h.Notices.Get(ctx, nid)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Linked = append(v.Linked, n)
	}
	switch d, err := h.Press.ReplyClock(ctx, q.ID); {
	case err == nil:
		dv := kit.NewDeadlineView(h.Kit.T(r), d, now)
		v.Clock = &dv
	case !fault.Is(err, fault.NotFound):
		h.Kit.Fail(w, r, err)
		return
	}
	if q.JournalistID != 0 {
		if v.Journalist, err = h.Press.Journalist(ctx, q.JournalistID); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	h.Kit.Render(w, r, status, "media_inquiry", v)
}

// left writes a duration as hours and minutes, with a minus sign once
// past.
func left(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "−", -d
	}
	d = d.Round(time.Minute)
	return sign + strconv.Itoa(int(d/time.Hour)) + ":" + strconv.Itoa(int(d%time.Hour/time.Minute)/10) + strconv.Itoa(int(d%time.Hour/time.Minute)%10)
}

func (h *Room) answer(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_ = r.ParseForm()
	reply := r.PostFormValue("reply")
	var chosen []int64
	for _, s := range r.PostForm["notice_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			chosen = append(chosen, n)
		}
	}
	_, err := h.Press.AnswerInquiry(r.Context(), kit.Actor(r), id, reply, chosen)
	if err == nil {
		kit.Redirect(w, r, InquiriesPath+"/"+kit.Itoa(id)+"?done=media_inquiry_answered")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, inquiryRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderInquiry(w, r, http.StatusUnprocessableEntity, id, reply, chosen, fe)
}
