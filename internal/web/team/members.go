package team

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/teamview"
)

// memberRow is a member as the list shows them: an outside person's
// contact details masked for readers who may not see them.
type memberRow struct {
	team.Member
	RoleNames []string
	Masked    bool
}

// teamView is the team's home: who is on duty, then the members.
type teamView struct {
	Duty        []teamview.Row
	Members     []memberRow
	CanManage   bool
	CanPersonal bool
	Errors      kit.FieldErrors // of the import form
}

// FormErrors opens the page with the import's errors.
func (v teamView) FormErrors() kit.FieldErrors { return v.Errors }

// shown is m as the reader may see them.
func shown(m team.Member, personal bool) (team.Member, bool) {
	if m.Kind != team.Outside || personal {
		return m, false
	}
	m.Email, m.Phone = kit.MaskAddress(channel.Email, m.Email), kit.MaskAddress(channel.SMS, m.Phone)
	return m, true
}

func (h *Room) roleNames(r *http.Request) (map[string]string, []team.Role, error) {
	roles, err := h.Team.Roles(r.Context())
	if err != nil {
		return nil, nil, err
	}
	tr := h.Kit.T(r)
	names := map[string]string{}
	for _, x := range roles {
		names[x.Key] = teamview.RoleName(tr, x)
	}
	return names, roles, nil
}

func (h *Room) teamView(r *http.Request) (teamView, error) {
	ro := kit.Role(r)
	v := teamView{CanManage: authz.Can(ro, authz.ManageTeam), CanPersonal: authz.Can(ro, authz.ViewTeamPersonal)}
	var err error
	if v.Duty, err = teamview.Rows(r.Context(), h.Team, h.Kit.T(r), h.Kit.Now()); err != nil {
		return v, err
	}
	names, _, err := h.roleNames(r)
	if err != nil {
		return v, err
	}
	ms, err := h.Team.Members(r.Context(), false)
	if err != nil {
		return v, err
	}
	for _, m := range ms {
		row := memberRow{}
		row.Member, row.Masked = shown(m, v.CanPersonal)
		for _, k := range m.Roles {
			row.RoleNames = append(row.RoleNames, names[k])
		}
		v.Members = append(v.Members, row)
	}
	return v, nil
}

func (h *Room) teamPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.teamView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team", v)
}

// teamHeader is the export's first row; the import reads the same.
var teamHeader = []string{"id", "kind", "user_id", "expert_id", "name", "organisation", "email", "phone", "languages", "skills", "roles", "active"}

func (h *Room) exportTeam(w http.ResponseWriter, r *http.Request) {
	ms, err := h.Team.Members(r.Context(), false)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "team", func(sw sheet.Writer) error {
		if err := sw.Write(teamHeader...); err != nil {
			return err
		}
		for _, m := range ms {
			if err := sw.Write(kit.Itoa(m.ID), string(m.Kind), idCell(m.UserID), idCell(m.ExpertID), m.Name, m.Organisation, m.Email, m.Phone,
				strings.Join(m.Languages, ", "), strings.Join(m.Skills, ", "), strings.Join(m.Roles, ", "), fmt.Sprint(m.Active)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "team", buf.Bytes())
}

func idCell(id int64) string {
	if id == 0 {
		return ""
	}
	return kit.Itoa(id)
}

func (h *Room) importTeam(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	fail := func(msg string) {
		v, err := h.teamView(r)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Errors = kit.FieldErrors{"file": msg}
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "team", v)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(tr.T("team.err.import_file"))
		return
	}
	defer f.Close()
	var rows [][]string
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".xlsx") {
		rows, err = xlsx.Read(f)
	} else {
		rows, err = sheet.ReadCSV(f)
	}
	if err != nil || len(rows) < 2 {
		fail(tr.T("team.err.import_file"))
		return
	}
	ins, err := parseTeamRows(rows)
	if err == nil {
		_, _, err = h.Team.ImportMembers(r.Context(), kit.Actor(r), ins)
	}
	if fault.Is(err, fault.Invalid) {
		e := kit.FieldsOf(err)[0]
		fail(tr.T("team.err.import_row", "Field", e.Field, "Message", e.Message))
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, Path+"?done=team_imported")
}

// parseTeamRows reads an export's rows (header first) as members.
func parseTeamRows(rows [][]string) ([]team.Input, error) {
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(sheet.Restore(h), "\ufeff")))] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, fault.Field("rows[0].name", "the first row names the columns, with a column name")
	}
	var out []team.Input
	for i, row := range rows[1:] {
		cell := func(name string) string {
			if j, ok := col[name]; ok && j < len(row) {
				return strings.TrimSpace(sheet.Restore(row[j]))
			}
			return ""
		}
		split := func(s string) []string {
			var l []string
			for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '、' }) {
				if p = strings.TrimSpace(p); p != "" {
					l = append(l, p)
				}
			}
			return l
		}
		var user, ex int64
		if _, err := fmt.Sscan(cell("user_id"), &user); cell("user_id") != "" && err != nil {
			return nil, fault.Field(fmt.Sprintf("rows[%d].user_id", i), "is not a number")
		}
		if cell("expert_id") != "" {
			if _, err := fmt.Sscan(cell("expert_id"), &ex); err != nil {
				return nil, fault.Field(fmt.Sprintf("rows[%d].expert_id", i), "is not a number")
			}
		}
		if strings.Join(row, "") == "" {
			continue
		}
		active := !strings.EqualFold(cell("active"), "false") && cell("active") != "0"
		out = append(out, team.Input{Kind: team.Kind(cell("kind")), UserID: user, ExpertID: ex, Name: cell("name"), Organisation: cell("organisation"),
			Email: cell("email"), Phone: cell("phone"), Languages: split(cell("languages")), Skills: split(cell("skills")),
			Roles: split(cell("roles")), Active: active})
	}
	return out, nil
}
