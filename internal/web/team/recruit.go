package team

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

var recruitRules = kit.FieldKeys{
	"role":       "team.err.shift_role",
	"title":      "team.err.title",
	"opening_id": "team.err.opening",
	"name":       "team.err.name",
	"email":      "team.err.email",
	"phone":      "team.err.phone",
	"channel":    "team.err.channel",
	"at":         "team.err.session_starts",
	"panel":      "team.err.panel",
	"score":      "team.err.score",
	"notes":      "team.err.text",
	"decision":   "team.err.decision",
}

// candidateRow is a candidate with their interviews; contact details
// masked for readers who may not see them.
type candidateRow struct {
	team.Candidate
	Interviews []team.Interview
}

// openingRow is an opening with its candidates.
type openingRow struct {
	team.Opening
	Role       string
	Candidates []candidateRow
}

// recruitView is the recruitment page.
type recruitView struct {
	Openings []openingRow
	Roles    []roleOption
	Channels []string
	Zone     string
	Form     map[string]string
	Errors   kit.FieldErrors
}

// FormErrors opens the page with the form's errors.
func (v recruitView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) recruitView(r *http.Request) (recruitView, error) {
	ctx := r.Context()
	v := recruitView{Channels: team.Channels, Zone: h.Kit.Location().String(), Form: map[string]string{}}
	names, roles, err := h.roleNames(r)
	if err != nil {
		return v, err
	}
	for _, x := range roles {
		v.Roles = append(v.Roles, roleOption{ID: x.ID, Key: x.Key, Name: names[x.Key]})
	}
	personal := authz.Can(kit.Role(r), authz.ViewTeamPersonal)
	ops, err := h.Team.Openings(ctx)
	if err != nil {
		return v, err
	}
	for _, o := range ops {
		row := openingRow{Opening: o, Role: names[o.RoleKey]}
		cs, err := h.Team.Candidates(ctx, o.ID)
		if err != nil {
			return v, err
		}
		for _, c := range cs {
			if !personal {
				c.Email, c.Phone = kit.MaskAddress(channel.Email, c.Email), kit.MaskAddress(channel.SMS, c.Phone)
			}
			cr := candidateRow{Candidate: c}
			if cr.Interviews, err = h.Team.Interviews(ctx, c.ID); err != nil {
				return v, err
			}
			row.Candidates = append(row.Candidates, cr)
		}
		v.Openings = append(v.Openings, row)
	}
	return v, nil
}

func (h *Room) recruitPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.recruitView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team_recruit", v)
}

func (h *Room) recruitSaved(w http.ResponseWriter, r *http.Request, invalid error, save func() error, done string) {
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), invalid, recruitRules, recruitRules, save)
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		v, err := h.recruitView(r)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Errors = fe
		for k := range r.PostForm {
			v.Form[k] = r.PostFormValue(k)
		}
		h.Kit.Render(w, r, status, "team_recruit", v)
	default:
		kit.Redirect(w, r, RecruitPath+"?done="+done)
	}
}

func (h *Room) addOpening(w http.ResponseWriter, r *http.Request) {
	o := team.Opening{RoleKey: r.PostFormValue("role"), Title: strings.TrimSpace(r.PostFormValue("title")),
		Description: r.PostFormValue("description"), Internal: r.PostFormValue("internal") != ""}
	h.recruitSaved(w, r, o.Validate(), func() error {
		_, err := h.Team.AddOpening(r.Context(), kit.Actor(r), o)
		return err
	}, "team_opening_added")
}

func (h *Room) addCandidate(w http.ResponseWriter, r *http.Request) {
	c := team.Candidate{OpeningID: kit.FormInt(r, "opening_id"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Phone: strings.TrimSpace(r.PostFormValue("phone")), Channel: r.PostFormValue("channel")}
	h.recruitSaved(w, r, c.Validate(), func() error {
		_, err := h.Team.AddCandidate(r.Context(), kit.Actor(r), c)
		return err
	}, "team_candidate_added")
}

func (h *Room) addInterview(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	score, _ := strconv.Atoi(r.PostFormValue("score"))
	iv := team.Interview{CandidateID: id, At: h.localTime(r.PostFormValue("at")), Panel: splitList(r.PostFormValue("panel")),
		Score: score, Notes: r.PostFormValue("notes")}
	h.recruitSaved(w, r, iv.Validate(), func() error {
		_, err := h.Team.AddInterview(r.Context(), kit.Actor(r), iv)
		return err
	}, "team_interview_added")
}

func (h *Room) decide(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.recruitSaved(w, r, nil, func() error {
		_, err := h.Team.Decide(r.Context(), kit.Actor(r), id, r.PostFormValue("decision"), r.PostFormValue("note"))
		return err
	}, "team_decided")
}
