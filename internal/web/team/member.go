package team

import (
	"net/http"
	"slices"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

// memberRules explain the domain's validation of a member, and what the
// store refuses.
var memberRules = kit.FieldKeys{
	"kind":         "team.err.kind",
	"user_id":      "team.err.user",
	"expert_id":    "team.err.expert",
	"name":         "team.err.name",
	"organisation": "team.err.text",
	"email":        "team.err.email",
	"phone":        "team.err.phone",
	"languages":    "team.err.languages",
	"skills":       "team.err.text",
	"roles":        "team.err.roles",
}

// memberForm is the new-member and edit-member form.
type memberForm struct {
	ID           int64
	Kind         team.Kind
	UserID       int64
	ExpertID     int64
	Name         string
	Organisation string
	Email        string
	Phone        string
	Languages    string // comma-separated
	Skills       string
	Roles        []string
	Active       bool
	Version      int64
	Errors       kit.FieldErrors
}

// HasRole reports whether the form has the role ticked.
func (f memberForm) HasRole(k string) bool { return slices.Contains(f.Roles, k) }

// roleOption is a role a form offers.
type roleOption struct {
	ID   int64
	Key  string
	Name string
}

// memberView is the member's page: the form for those who manage the
// team, the details otherwise, and their training and shifts.
type memberView struct {
	Form      memberForm
	IsNew     bool
	Masked    bool
	CanManage bool
	Roles     []roleOption
	Users     []account.User
	Experts   []expert.Expert
	Record    []team.Record
	Certs     []team.Certificate
	Shifts    []team.Shift
	RoleNames map[string]string
}

// FormErrors opens the page with the form's errors.
func (v memberView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func formOf(m team.Member) memberForm {
	return memberForm{ID: m.ID, Kind: m.Kind, UserID: m.UserID, ExpertID: m.ExpertID, Name: m.Name, Organisation: m.Organisation,
		Email: m.Email, Phone: m.Phone, Languages: strings.Join(m.Languages, ", "), Skills: strings.Join(m.Skills, ", "),
		Roles: m.Roles, Active: m.Active, Version: m.Version}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func memberFormFrom(r *http.Request) memberForm {
	return memberForm{Kind: team.Kind(r.PostFormValue("kind")), UserID: kit.FormInt(r, "user_id"), ExpertID: kit.FormInt(r, "expert_id"),
		Name: strings.TrimSpace(r.PostFormValue("name")), Organisation: strings.TrimSpace(r.PostFormValue("organisation")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Languages: r.PostFormValue("languages"), Skills: r.PostFormValue("skills"), Roles: r.PostForm["roles"],
		Active: r.PostFormValue("active") != "", Version: kit.FormInt(r, "version")}
}

func (f memberForm) input() team.Input {
	in := team.Input{Kind: f.Kind, UserID: f.UserID, ExpertID: f.ExpertID, Name: f.Name, Organisation: f.Organisation, Email: f.Email,
		Phone: f.Phone, Languages: splitList(f.Languages), Skills: splitList(f.Skills), Roles: f.Roles, Active: f.Active, Version: f.Version}
	if in.Kind == team.Outside {
		in.UserID = 0
	}
	return in
}

// maxPeople bounds the accounts and experts a form offers.
const maxPeople = 500

func (h *Room) renderMember(w http.ResponseWriter, r *http.Request, status int, v memberView) {
	ctx := r.Context()
	names, roles, err := h.roleNames(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.RoleNames = names
	for _, x := range roles {
		v.Roles = append(v.Roles, roleOption{ID: x.ID, Key: x.Key, Name: names[x.Key]})
	}
	v.CanManage = authz.Can(kit.Role(r), authz.ManageTeam)
	if v.CanManage {
		if v.Users, _, err = h.Accounts.ListUsers(ctx, account.UserFilter{Limit: maxPeople}); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		if v.Experts, _, err = h.Experts.List(ctx, 0, maxPeople); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	h.Kit.Render(w, r, status, "team_member", v)
}

func (h *Room) newMemberPage(w http.ResponseWriter, r *http.Request) {
	h.renderMember(w, r, http.StatusOK, memberView{IsNew: true, Form: memberForm{Kind: team.Outside, Active: true, Languages: "zh-Hant"}})
}

func (h *Room) createMember(w http.ResponseWriter, r *http.Request) {
	f := memberFormFrom(r)
	var m team.Member
	fe, status, err := h.check(r, f.input(), func(in team.Input) (err error) {
		m, err = h.Team.AddMember(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderMember(w, r, status, memberView{IsNew: true, Form: f})
	default:
		kit.Redirect(w, r, MembersPath+"/"+kit.Itoa(m.ID)+"?done=team_member_added")
	}
}

// check checks a member by the domain's rules, then lets save store it.
func (h *Room) check(r *http.Request, in team.Input, save func(team.Input) error) (kit.FieldErrors, int, error) {
	in.Normalize()
	return kit.CheckAndSave(h.Kit.T(r), in.Validate(), memberRules, memberRules, func() error { return save(in) })
}

func (h *Room) memberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	m, err := h.Team.Member(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := memberView{}
	m, v.Masked = shown(m, authz.Can(kit.Role(r), authz.ViewTeamPersonal))
	v.Form = formOf(m)
	if v.Record, err = h.Team.Training(ctx, id); err == nil {
		if v.Certs, err = h.Team.Certificates(ctx, id); err == nil {
			now := h.Kit.Now()
			v.Shifts, err = h.Team.Shifts(ctx, team.ShiftFilter{MemberID: id, From: now.AddDate(0, 0, -7), To: now.AddDate(0, 0, 28)})
		}
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderMember(w, r, http.StatusOK, v)
}

func (h *Room) saveMember(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := memberFormFrom(r)
	f.ID = id
	fe, status, err := h.check(r, f.input(), func(in team.Input) error {
		_, err := h.Team.SaveMember(r.Context(), kit.Actor(r), id, in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderMember(w, r, status, memberView{Form: f})
	default:
		kit.Redirect(w, r, MembersPath+"/"+kit.Itoa(id)+"?done=team_member_saved")
	}
}

func (h *Room) deleteMember(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.Team.DeleteMember(r.Context(), kit.Actor(r), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, Path+"?done=team_member_deleted")
}
