package feedback

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/web/kit"
)

// sender is one department or expert a form offers, as "department:ID".
type sender struct {
	Value, Label string
}

// senders lists the departments and the outside experts.
func (h *Room) senders(r *http.Request) ([]sender, error) {
	deps, _, err := h.Accounts.ListDepartments(r.Context(), 0, 500)
	if err != nil {
		return nil, err
	}
	xs, _, err := h.Experts.List(r.Context(), 0, 500)
	if err != nil {
		return nil, err
	}
	out := make([]sender, 0, len(deps)+len(xs))
	for _, d := range deps {
		out = append(out, sender{Value: "department:" + kit.Itoa(d.ID), Label: d.Name})
	}
	for _, x := range xs {
		out = append(out, sender{Value: "expert:" + kit.Itoa(x.ID), Label: expertLabel(x)})
	}
	return out, nil
}

func expertLabel(x expert.Expert) string {
	if x.Organisation != "" {
		return x.Name + " (" + x.Organisation + ")"
	}
	return x.Name
}

// parseSender reads "department:ID" or "expert:ID".
func parseSender(v string) (feedback.Source, int64) {
	kind, id, _ := strings.Cut(v, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	return feedback.Source(kind), n
}

// recordView is the form for feedback a department or an expert gave by
// telephone, in a meeting or in writing.
type recordView struct {
	Senders  []sender
	Crises   []crisis.Crisis
	Sender   string
	CrisisID int64
	Message  string
	Category string
	Errors   kit.FieldErrors
}

// FormErrors makes the page open with the error summary.
func (v recordView) FormErrors() kit.FieldErrors { return v.Errors }

// Categories are the categories offered.
func (recordView) Categories() []feedback.Category { return feedback.Categories }

func (h *Room) renderRecord(w http.ResponseWriter, r *http.Request, status int, v recordView) {
	var err error
	if v.Senders, err = h.senders(r); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Crises, _, err = h.Crises.List(r.Context(), crisis.Filter{Open: true, Limit: 100}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "feedback_new", v)
}

func (h *Room) newPage(w http.ResponseWriter, r *http.Request) {
	h.renderRecord(w, r, http.StatusOK, recordView{Category: string(feedback.Question)})
}

func (h *Room) record(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := recordView{Sender: r.PostFormValue("sender"), CrisisID: kit.FormInt(r, "crisis_id"),
		Message: r.PostFormValue("message"), Category: r.PostFormValue("category")}
	source, id := parseSender(v.Sender)
	f, err := h.Feedback.SubmitAs(r.Context(), kit.Actor(r), feedback.Submission{Message: v.Message, CrisisID: v.CrisisID,
		Category: feedback.Category(v.Category), Source: source, SourceID: id, Language: h.Kit.T(r).Lang()})
	if err != nil {
		fe, ok := kit.InvalidFields(h.Kit.T(r), err, rules)
		if !ok {
			h.Kit.Fail(w, r, err)
			return
		}
		senderField(fe)
		v.Errors = fe
		h.renderRecord(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(f.ID)+"?done=feedback_recorded")
}

// linksView lists the personal links; Made is the link just made, shown
// once.
type linksView struct {
	Links   []feedback.PersonalLink
	Senders []sender
	Names   map[string]string
	Made    string
	Errors  kit.FieldErrors
}

// FormErrors makes the page open with the error summary.
func (v linksView) FormErrors() kit.FieldErrors { return v.Errors }

// Name is the department's or the expert's name.
func (v linksView) Name(l feedback.PersonalLink) string {
	return v.Names[string(l.Source)+":"+kit.Itoa(l.SourceID)]
}

func (h *Room) renderLinks(w http.ResponseWriter, r *http.Request, status int, v linksView) {
	var err error
	if v.Links, err = h.Feedback.Links(r.Context()); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Senders, err = h.senders(r); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Names = map[string]string{}
	for _, s := range v.Senders {
		v.Names[s.Value] = s.Label
	}
	h.Kit.Render(w, r, status, "feedback_links", v)
}

func (h *Room) linksPage(w http.ResponseWriter, r *http.Request) {
	h.renderLinks(w, r, http.StatusOK, linksView{})
}

func (h *Room) createLink(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	source, id := parseSender(r.PostFormValue("sender"))
	_, token, err := h.Feedback.CreateLink(r.Context(), kit.Actor(r), source, id, r.PostFormValue("label"))
	if err != nil {
		fe, ok := kit.InvalidFields(h.Kit.T(r), err, rules)
		if !ok {
			h.Kit.Fail(w, r, err)
			return
		}
		senderField(fe)
		h.renderLinks(w, r, http.StatusUnprocessableEntity, linksView{Errors: fe})
		return
	}
	// The token is shown once, on this answer; it is never stored.
	h.renderLinks(w, r, http.StatusCreated, linksView{Made: strings.TrimRight(h.BaseURL, "/") + "/feedback/from/" + token})
}

func (h *Room) revokeLink(w http.ResponseWriter, r *http.Request) {
	if err := h.Feedback.RevokeLink(r.Context(), kit.Actor(r), kit.FormInt(r, "id")); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, LinksPath+"?done=feedback_link_gone")
}

// senderField shows a refusal of the source beside the form's sender
// control.
func senderField(fe kit.FieldErrors) {
	for _, k := range []string{"source", "source_id"} {
		if m, bad := fe[k]; bad {
			fe["sender"] = m
			delete(fe, k)
		}
	}
}
