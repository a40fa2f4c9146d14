package risks

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/riskview"
)

// riskView is a risk's page.
type riskView struct {
	Row         riskview.Row
	Review      *kit.DeadlineView // the review's clock
	Ratings     []ratingView
	Trend       risk.Trend
	Mitigations []mitigationView
	People      []account.User
	Scale       []int
	Statuses    []risk.MitigationStatus
	LinkKinds   []string
	// Errors are those of the form that came back (Form names it).
	Form   string
	Errors kit.FieldErrors
	// Rate keeps what was posted to the rating form.
	RateLikelihood, RateImpact int
	CanEdit, CanRate           bool
	CanMitigate                bool
	Me                         int64
}

// FormErrors implements kit.Form.
func (v riskView) FormErrors() kit.FieldErrors { return v.Errors }

// ratingView is one rating of the history with its band.
type ratingView struct {
	risk.Rating
	Score int
	Band  risk.Band
}

// mitigationView is a mitigation in the reader's words.
type mitigationView struct {
	risk.Mitigation
	Text    string
	Owner   string
	Overdue bool
}

func (h *Room) riskPage(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderRisk(w, r, http.StatusOK, k, "", nil)
}

func (h *Room) renderRisk(w http.ResponseWriter, r *http.Request, status int, k risk.Risk, form string, fe kit.FieldErrors) {
	ctx, tr, now := r.Context(), h.Kit.T(r), h.Kit.Now()
	users, names, err := h.people(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	history, err := h.Risks.Ratings(ctx, k.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	ms, err := h.Risks.Mitigations(ctx, k.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	me := kit.Actor(r)
	v := riskView{Row: riskview.RowOf(tr, k, names, now), Trend: risk.TrendOf(history), People: users, Scale: Scale,
		Statuses: risk.MitigationStatuses, LinkKinds: risk.LinkKinds, Form: form, Errors: fe,
		RateLikelihood: k.Likelihood, RateImpact: k.Impact, Me: me.UserID,
		CanEdit: authz.Can(me.Role, authz.EditRisks), CanRate: authz.Can(me.Role, authz.RateRisks),
		CanMitigate: authz.Can(me.Role, authz.MitigateRisks)}
	for i := len(history) - 1; i >= 0; i-- { // newest first
		g := history[i]
		v.Ratings = append(v.Ratings, ratingView{Rating: g, Score: risk.Score(g.Likelihood, g.Impact), Band: risk.BandOf(g.Likelihood, g.Impact)})
	}
	for _, m := range ms {
		v.Mitigations = append(v.Mitigations, mitigationView{Mitigation: m, Text: riskview.MitigationText(tr, m), Owner: names[m.OwnerID], Overdue: m.Overdue(now)})
	}
	if d, err := h.Risks.ReviewClock(ctx, k.ID); err == nil {
		dv := kit.NewDeadlineView(tr, d, now)
		v.Review = &dv
	} else if !fault.Is(err, fault.NotFound) {
		h.Kit.Fail(w, r, err)
		return
	}
	if form == "rate" {
		v.RateLikelihood, v.RateImpact = atoi(r.PostFormValue("likelihood")), atoi(r.PostFormValue("impact"))
	}
	h.Kit.Render(w, r, status, "risk", v)
}

// refuseOn shows the risk's page again with the errors of form, or the
// error page.
func (h *Room) refuseOn(w http.ResponseWriter, r *http.Request, k risk.Risk, form string, err error) {
	tr := h.Kit.T(r)
	fe, ok := kit.InvalidFields(tr, err, riskRules)
	switch {
	case fault.Is(err, fault.Conflict):
		h.renderRisk(w, r, http.StatusConflict, k, form, kit.FieldErrors{"": tr.T("risk.err.closed")})
		return
	case !ok:
		h.Kit.Fail(w, r, err)
		return
	}
	if msg, ok := fe["links"]; ok && form == "link" {
		delete(fe, "links")
		fe["link_id"] = msg // the link form's control
	}
	h.renderRisk(w, r, http.StatusUnprocessableEntity, k, form, fe)
}

func (h *Room) rate(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	_, err := h.Risks.Rate(r.Context(), kit.Actor(r), k.ID, atoi(strings.TrimSpace(r.PostFormValue("likelihood"))),
		atoi(strings.TrimSpace(r.PostFormValue("impact"))), r.PostFormValue("note"))
	if err != nil {
		h.refuseOn(w, r, k, "rate", err)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=risk_rated")
}

func (h *Room) review(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	if _, err := h.Risks.Review(r.Context(), kit.Actor(r), k.ID); err != nil {
		h.refuseOn(w, r, k, "review", err)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=risk_reviewed")
}

func (h *Room) link(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	l := risk.Link{Kind: r.PostFormValue("link_kind"), TargetID: kit.FormInt(r, "link_id")}
	if _, err := h.Risks.Link(r.Context(), kit.Actor(r), k.ID, l); err != nil {
		h.refuseOn(w, r, k, "link", err)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=risk_linked")
}

func (h *Room) addMitigation(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	m := risk.Mitigation{Text: r.PostFormValue("text"), OwnerID: kit.FormInt(r, "owner_id")}
	if d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(r.PostFormValue("due")), h.Kit.Location()); err == nil {
		m.Due = d.Add(24*time.Hour - time.Minute).UTC() // the end of the day
	}
	if _, err := h.Risks.AddMitigation(r.Context(), kit.Actor(r), k.ID, m); err != nil {
		h.refuseOn(w, r, k, "mitigation", err)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=mitigation_added")
}

func (h *Room) trackMitigation(w http.ResponseWriter, r *http.Request) {
	k, ok := h.load(w, r)
	if !ok {
		return
	}
	id := kit.FormInt(r, "mitigation")
	ms, err := h.Risks.Mitigations(r.Context(), k.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	found := false
	for _, m := range ms {
		found = found || m.ID == id
	}
	if !found {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := h.Risks.TrackMitigation(r.Context(), kit.Actor(r), id, risk.MitigationStatus(r.PostFormValue("status")), r.PostFormValue("note")); err != nil {
		h.refuseOn(w, r, k, "track", err)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(k.ID)+"?done=mitigation_status")
}
