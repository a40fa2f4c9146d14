package notices

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// Publishing is a deliberate act: the notice page links to a
// confirmation that shows where the notice goes, who receives it on each
// channel, the SMS exactly as sent and the first-notice clock, and only
// its form (with confirm=yes) publishes. A post without it publishes
// nothing and shows the confirmation.

// publishChannels are the channels the confirmation counts, in order.
var publishChannels = []string{channel.Email, channel.SMS, channel.Webhook, channel.App}

type publishView struct {
	Notice       notice.Notice
	Headline     string
	Crisis       *crisis.Crisis
	FastPath     bool     // a draft published without review
	CanSubmit    bool     // a draft: it may go for approval instead
	Destinations []string // message keys
	PublicHref   string
	Reach        []reachRow
	Total        int
	SMS          []smsRow
	FirstNotice  *kit.ClockView
	Error        string   // why the publish was refused
	Problems     []string // each missing or bad field, named
}

type reachRow struct {
	Channel string
	Count   int
}

// publishPage is the confirmation.
func (h *Room) publishPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	v, err := h.publishView(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if !h.mayPublish(r, v.Notice) {
		// Published already, or not approved and no fast path: say which.
		// (Not 403: the user's role may publish; this notice cannot yet.)
		err := fault.New(fault.Invalid, "needs approval before it is published")
		if v.Notice.Status == notice.Published {
			err = fault.New(fault.Conflict, "already published")
		}
		h.noticeRefused(w, r, id, err, "publish.err_needs_approval", "")
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "notice_publish", v)
}

// publishNotice publishes once confirmed; an unconfirmed post shows the
// confirmation. A refusal shows the confirmation again with why, and the
// notice as it was: the publish is one transaction.
func (h *Room) publishNotice(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"/publish")
		return
	}
	_, err := h.Notices.Publish(r.Context(), kit.Actor(r), id)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=notice_published")
		return
	}
	var status int
	var key string
	switch fault.CodeOf(err) {
	case fault.Forbidden:
		status, key = http.StatusForbidden, "err.notice_forbidden"
	case fault.Conflict:
		status, key = http.StatusConflict, "publish.err_state"
	case fault.Invalid:
		status, key = http.StatusUnprocessableEntity, "publish.err_invalid"
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, lerr := h.publishView(r, id)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	tr := h.Kit.T(r)
	v.Error = tr.T("publish.not_published") + " " + tr.T(key)
	if fault.CodeOf(err) == fault.Invalid {
		v.Problems = h.publishProblems(r, err, v.Notice)
	}
	h.Kit.Render(w, r, status, "notice_publish", v)
}

// mayPublish reports whether the asking user may publish n now: an
// approved notice, or a commander's draft from a plan template (the fast
// path, which the store checks against the plan and the level).
func (h *Room) mayPublish(r *http.Request, n notice.Notice) bool {
	ro := kit.Role(r)
	if !authz.Can(ro, authz.PublishNotice) {
		return false
	}
	return n.Status == notice.Approved || h.fastPathOpen(r, n)
}

// fastPathOpen reports whether the asking user may publish n without
// review now: the role may (fastPathOffered), and the plan version that
// started the draft allows it at the crisis's level, as the store will
// decide (notice.FastPathAllowed). A lookup that fails offers nothing.
func (h *Room) fastPathOpen(r *http.Request, n notice.Notice) bool {
	if !fastPathOffered(kit.Role(r), n) || n.CrisisID == 0 {
		return false
	}
	c, err := h.Crises.Get(r.Context(), n.CrisisID)
	if err != nil {
		return false
	}
	p, err := h.Plans.Get(r.Context(), n.TemplatePlanID)
	if err != nil {
		return false
	}
	return notice.FastPathAllowed(p, c.Level)
}

// fastPathOffered reports whether role ro is offered to publish n without
// review.
func fastPathOffered(ro authz.Role, n notice.Notice) bool {
	return (n.Status == notice.Draft || n.Status == notice.Submitted) && n.TemplatePlanID != 0 &&
		authz.Can(ro, authz.FastPathNotice) && authz.Can(ro, authz.PublishNotice)
}

func (h *Room) publishView(r *http.Request, id int64) (publishView, error) {
	ctx := r.Context()
	tr := h.Kit.T(r)
	n, err := h.Notices.Get(ctx, id)
	if err != nil {
		return publishView{}, err
	}
	v := publishView{Notice: n, Headline: n.Headline(tr.Lang()), FastPath: n.Status != notice.Approved,
		PublicHref: "/notices/" + kit.Itoa(n.ID), CanSubmit: n.Status == notice.Draft && authz.Can(kit.Role(r), authz.EditNotice)}
	switch {
	case n.Audience == notice.Public && n.Exercise:
		v.Destinations = []string{"publish.dest.exercise", "publish.dest.cap"}
	case n.Audience == notice.Public:
		v.Destinations = []string{"publish.dest.page", "publish.dest.feeds", "publish.dest.cap"}
	case n.Audience == notice.Internal:
		v.Destinations = []string{"publish.dest.internal"}
	default:
		v.Destinations = []string{"publish.dest.media"}
	}
	reach, err := h.Notices.Reach(ctx, id)
	if err != nil {
		return v, err
	}
	for _, ch := range publishChannels {
		if c, ok := reach[ch]; ok || ch != channel.App || n.Audience == notice.Internal {
			v.Reach = append(v.Reach, reachRow{Channel: ch, Count: c})
		}
	}
	v.Total = reach.Total()
	if n.Audience == notice.Public {
		for _, c := range n.Contents {
			row := smsRow{Lang: c.Language, Label: languageLabel(tr, c.Language)}
			row.Text, row.Count = h.smsMessage(n, c.Language)
			v.SMS = append(v.SMS, row)
		}
	}
	if n.CrisisID != 0 {
		c, err := h.Crises.Get(ctx, n.CrisisID)
		if err != nil {
			return v, err
		}
		v.Crisis = &c
		for _, ck := range c.Clocks {
			if ck.Kind == crisis.FirstNoticeClock {
				cv := kit.NewClockView(tr.T("notice.first_notice_due"), ck, h.Kit.Now())
				v.FirstNotice = &cv
				break
			}
		}
	}
	return v, nil
}

// publishProblems words each invalid field of err with the field's name:
// "English — Headline: Write a headline".
func (h *Room) publishProblems(r *http.Request, err error, n notice.Notice) []string {
	tr := h.Kit.T(r)
	fe, ok := noticeFieldErrors(tr, err, n.Languages())
	if !ok {
		return nil
	}
	var out []string
	for _, e := range kit.FieldsOf(err) {
		field, key := editorField(e.Field, n.Languages())
		msg := fe[field]
		if msg == "" {
			msg = fe[""]
		}
		out = append(out, fieldLabel(tr, field, key)+": "+msg)
	}
	return out
}

// fieldLabel names an editor field in the reader's language: a language's
// field with the language ("English · Headline"), a CAP field by its label.
func fieldLabel(tr interface{ T(string, ...any) string }, field, key string) string {
	name := func(k string) string {
		if s := tr.T(k); s != k {
			return s
		}
		return ""
	}
	labels := map[string]string{"headline": "notice.headline", "body": "notice.body", "instruction": "notice.instruction",
		"contact": "notice.contact", "cap.event": "notice.cap.event", "cap.category": "notice.cap.category",
		"cap.urgency": "notice.cap.urgency", "cap.severity": "notice.cap.severity", "cap.certainty": "notice.cap.certainty",
		"cap.area.description": "notice.cap.area", "cap.expires": "notice.cap.expires", "audience": "notice.audience",
		"departments": "editor.recipients", "contents": "editor.tabs_label"}
	label := name(labels[key])
	if label == "" {
		label = field
	}
	if lang, _, found := cutLang(field, key); found {
		return name("language."+lang) + " · " + label
	}
	return label
}

// cutLang splits "en.headline" into its language and field when key is
// the field.
func cutLang(field, key string) (lang, sub string, ok bool) {
	if len(field) > len(key)+1 && field[len(field)-len(key)-1:] == "."+key {
		return field[:len(field)-len(key)-1], key, true
	}
	return "", "", false
}
