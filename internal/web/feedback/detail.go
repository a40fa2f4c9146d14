package feedback

import (
	"crisisdesk/internal/rumour"
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// detailView is the page of one piece of feedback and its forms.
type detailView struct {
	F          feedback.Feedback
	Contact    string // in full for the roles that may see it, else masked
	Overdue    bool
	MergedRef  string
	Owner      string
	Crises     []crisis.Crisis
	Users      []account.User
	Notices    []notice.Notice // the corrections of its crisis, to link
	Rumours    []rumour.Rumour // the register's rumours it may mention
	Categories []feedback.Category
	Priorities []feedback.Priority
	// Form holds what was posted when a form is shown again.
	Form   map[string]string
	Errors kit.FieldErrors

	CanTriage, CanReply, CanPublish bool
}

// FormErrors makes the page open with the error summary.
func (v detailView) FormErrors() kit.FieldErrors { return v.Errors }

// Val is the posted value of field, else def.
func (v detailView) Val(field, def string) string {
	if s, ok := v.Form[field]; ok {
		return s
	}
	return def
}

// load reads the feedback of the path.
func (h *Room) load(w http.ResponseWriter, r *http.Request) (feedback.Feedback, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return feedback.Feedback{}, false
	}
	f, err := h.Feedback.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return f, false
	}
	return f, true
}

func (h *Room) detailPage(w http.ResponseWriter, r *http.Request) {
	f, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderDetail(w, r, http.StatusOK, f, nil, nil)
}

// renderDetail shows f with form (what was posted) and its errors.
func (h *Room) renderDetail(w http.ResponseWriter, r *http.Request, status int, f feedback.Feedback, form map[string]string, fe kit.FieldErrors) {
	ctx, role := r.Context(), kit.Role(r)
	v := detailView{F: f, Contact: feedback.MaskContact(f.Contact), Overdue: f.Overdue(h.Kit.Now()), Form: form, Errors: fe,
		Categories: feedback.Categories, Priorities: feedback.Priorities,
		CanTriage: authz.Can(role, authz.TriageFeedback), CanReply: authz.Can(role, authz.ReplyFeedback),
		CanPublish: authz.Can(role, authz.PublishFAQ)}
	if authz.Can(role, authz.FeedbackContact) {
		v.Contact = f.Contact
	}
	if f.MergedInto != 0 {
		if into, err := h.Feedback.Get(ctx, f.MergedInto); err == nil {
			v.MergedRef = into.Ref
		}
	}
	var err error
	if v.Crises, _, err = h.Crises.List(ctx, crisis.Filter{Limit: 100}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Users, _, err = h.Accounts.ListUsers(ctx, account.UserFilter{Limit: 500}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, u := range v.Users {
		if u.ID == f.OwnerID {
			v.Owner = u.DisplayName
		}
	}
	if v.CanTriage {
		if v.Rumours, _, err = h.Rumours.List(ctx, rumour.Filter{Limit: 200}); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	if f.CrisisID != 0 {
		if v.Notices, _, err = h.Notices.List(ctx, notice.Filter{CrisisID: f.CrisisID, Kind: notice.Correction, Limit: 100}); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	h.Kit.Render(w, r, status, "feedback_detail", v)
}

// act runs one change posted to the page of the feedback: its fields
// are read from the form, refusals shown beside them, and success
// redirects with done.
func (h *Room) act(w http.ResponseWriter, r *http.Request, done string, fields []string,
	do func(id int64, form map[string]string) error) {
	f, ok := h.load(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	form := map[string]string{}
	for _, k := range fields {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	err := do(f.ID, form)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(f.ID)+"?done="+done)
		return
	}
	fe, invalid := kit.InvalidFields(h.Kit.T(r), err, rules)
	if !invalid {
		h.Kit.Fail(w, r, err)
		return
	}
	if f2, err := h.Feedback.Get(r.Context(), f.ID); err == nil {
		f = f2
	}
	h.renderDetail(w, r, http.StatusUnprocessableEntity, f, form, fe)
}

func (h *Room) triage(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_triaged", []string{"category", "crisis_id", "priority", "owner_id", "tags", "lock"}, func(id int64, in map[string]string) error {
		t := feedback.Triage{Category: feedback.Category(in["category"]), Priority: feedback.Priority(in["priority"]),
			CrisisID: kit.FormInt(r, "crisis_id"), OwnerID: kit.FormInt(r, "owner_id"), Tags: []string{in["tags"]}}
		_, err := h.Feedback.Triage(r.Context(), kit.Actor(r), id, kit.FormInt(r, "lock"), t)
		return err
	})
}

func (h *Room) reply(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_replied", []string{"reply"}, func(id int64, in map[string]string) error {
		_, err := h.Feedback.Reply(r.Context(), kit.Actor(r), id, in["reply"])
		return err
	})
}

func (h *Room) action(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_action", []string{"action"}, func(id int64, in map[string]string) error {
		_, err := h.Feedback.TakeAction(r.Context(), kit.Actor(r), id, in["action"])
		return err
	})
}

func (h *Room) close(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_closed", []string{"note"}, func(id int64, in map[string]string) error {
		_, err := h.Feedback.Close(r.Context(), kit.Actor(r), id, in["note"])
		return err
	})
}

// merge makes this feedback a duplicate of the one whose reference (or
// id) is given.
func (h *Room) merge(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_merged", []string{"into"}, func(id int64, in map[string]string) error {
		into, err := h.Feedback.ByRef(r.Context(), in["into"])
		if err != nil {
			return feedbackField("into", err)
		}
		_, err = h.Feedback.Merge(r.Context(), kit.Actor(r), id, into.ID)
		return err
	})
}

func (h *Room) publish(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_published", []string{"question", "answer"}, func(id int64, in map[string]string) error {
		_, err := h.Feedback.Publish(r.Context(), kit.Actor(r), id, in["question"], in["answer"])
		return err
	})
}

func (h *Room) unpublish(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_unpublished", nil, func(id int64, _ map[string]string) error {
		_, err := h.Feedback.Unpublish(r.Context(), kit.Actor(r), id)
		return err
	})
}

func (h *Room) linkCorrection(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_correction", []string{"correction_id"}, func(id int64, _ map[string]string) error {
		_, err := h.Feedback.LinkCorrection(r.Context(), kit.Actor(r), id, kit.FormInt(r, "correction_id"))
		return err
	})
}

func (h *Room) linkRumour(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "feedback_rumour", []string{"rumour_id"}, func(id int64, _ map[string]string) error {
		_, err := h.Feedback.LinkRumour(r.Context(), kit.Actor(r), id, kit.FormInt(r, "rumour_id"))
		return err
	})
}

// TagText is the tags as the form writes them.
func (v detailView) TagText() string { return strings.Join(v.F.Tags, ", ") }
