package risks

import (
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/riskview"
)

// riskRules explain the domain's validation of a risk's form.
var riskRules = kit.FieldKeys{
	"description":   "risk.err.description",
	"category":      "risk.err.category",
	"cause":         "risk.err.text",
	"consequence":   "risk.err.text",
	"likelihood":    "risk.err.likelihood",
	"impact":        "risk.err.impact",
	"owner_id":      "risk.err.owner",
	"review_months": "risk.err.review_months",
	"links":         "risk.err.links",
	"note":          "risk.err.text",
	"text":          "risk.err.mitigation_text",
	"due":           "risk.err.due",
	"status":        "risk.err.status",
}

// riskForm is the new-risk and edit-risk form.
type riskForm struct {
	ID           int64
	Lock         int64
	Description  string
	Category     string
	Cause        string
	Consequence  string
	Likelihood   int
	Impact       int
	OwnerID      int64
	ReviewMonths int
	// LinkKind and LinkID pre-link a risk raised from a crisis or a drill.
	LinkKind string
	LinkID   int64
	Errors   kit.FieldErrors
}

// formView is the page around the form.
type formView struct {
	Form       riskForm
	IsNew      bool
	Categories []risk.Category
	Scale      []int
	People     []account.User
}

// FormErrors implements kit.Form.
func (v formView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func formFrom(r *http.Request) riskForm {
	_ = r.ParseForm()
	return riskForm{
		Lock: kit.FormInt(r, "lock"), Description: r.PostFormValue("description"), Category: r.PostFormValue("category"),
		Cause: r.PostFormValue("cause"), Consequence: r.PostFormValue("consequence"),
		Likelihood: atoi(strings.TrimSpace(r.PostFormValue("likelihood"))), Impact: atoi(strings.TrimSpace(r.PostFormValue("impact"))),
		OwnerID: kit.FormInt(r, "owner_id"), ReviewMonths: int(kit.FormInt(r, "review_months")),
		LinkKind: r.PostFormValue("link_kind"), LinkID: kit.FormInt(r, "link_id"),
	}
}

func (f riskForm) input(links []risk.Link) risk.Input {
	if f.LinkKind != "" && f.LinkID > 0 {
		links = append(links, risk.Link{Kind: f.LinkKind, TargetID: f.LinkID})
	}
	return risk.Input{Description: f.Description, Category: risk.Category(f.Category), Cause: f.Cause, Consequence: f.Consequence,
		Likelihood: f.Likelihood, Impact: f.Impact, OwnerID: f.OwnerID, ReviewMonths: f.ReviewMonths, Links: links}
}

// newPage is the form; ?crisis=ID or ?drill=ID raises a risk from a crisis
// room or a drill report in one step, linked to it.
func (h *Room) newPage(w http.ResponseWriter, r *http.Request) {
	f := riskForm{Category: string(risk.Operational), Impact: 3, ReviewMonths: risk.DefaultReviewMonths, OwnerID: kit.Actor(r).UserID}
	if id := kit.QueryInt(r, "crisis"); id > 0 {
		f.LinkKind, f.LinkID = "crisis", id
	} else if id := kit.QueryInt(r, "drill"); id > 0 {
		f.LinkKind, f.LinkID = "drill", id
	}
	h.renderForm(w, r, http.StatusOK, f, true)
}

func (h *Room) create(w http.ResponseWriter, r *http.Request) {
	f := formFrom(r)
	k, err := h.Risks.Create(r.Context(), kit.Actor(r), f.input(nil))
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=risk_created")
		return
	}
	h.refuse(w, r, f, err, true)
}

func (h *Room) editPage(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	_, names, err := h.people(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	row := riskview.RowOf(h.Kit.T(r), k, names, h.Kit.Now())
	h.renderForm(w, r, http.StatusOK, riskForm{ID: k.ID, Lock: k.Lock, Description: row.Description, Category: string(k.Category),
		Cause: row.Cause, Consequence: row.Consequence, Likelihood: k.Likelihood, Impact: k.Impact, OwnerID: k.OwnerID,
		ReviewMonths: k.ReviewMonths}, false)
}

func (h *Room) save(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	f := formFrom(r)
	f.ID, f.Likelihood, f.Impact = k.ID, k.Likelihood, k.Impact
	_, err := h.Risks.Save(r.Context(), kit.Actor(r), k.ID, f.Lock, f.input(k.Links))
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=risk_saved")
		return
	}
	h.refuse(w, r, f, err, false)
}

// refuse shows the form again with err's fields, or the error page.
func (h *Room) refuse(w http.ResponseWriter, r *http.Request, f riskForm, err error, isNew bool) {
	tr := h.Kit.T(r)
	status := http.StatusUnprocessableEntity
	fe, ok := kit.InvalidFields(tr, err, riskRules)
	switch {
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case !ok:
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderForm(w, r, status, f, isNew)
}

func (h *Room) renderForm(w http.ResponseWriter, r *http.Request, status int, f riskForm, isNew bool) {
	users, _, err := h.people(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "risk_edit", formView{Form: f, IsNew: isNew, Categories: risk.Categories, Scale: Scale, People: users})
}
