package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/team"
)

// Team returns the team's service: members, roles, the rota, training
// and recruitment.
func (s *Store) Team() team.Service { return &teamStore{s} }

type teamStore struct{ s *Store }

var _ team.Service = (*teamStore)(nil)

const memberColumns = `id, kind, user_id, expert_id, name, organisation, email, phone, languages, skills, roles, active, anonymised, created_at, updated_at, version`

func scanMember(r rowScanner) (team.Member, error) {
	var m team.Member
	var kind, langs, skills, roles string
	var user, expert sql.NullInt64
	if err := r.Scan(&m.ID, &kind, &user, &expert, &m.Name, &m.Organisation, &m.Email, &m.Phone, &langs, &skills, &roles,
		&m.Active, &m.Anonymised, &m.CreatedAt, &m.UpdatedAt, &m.Version); err != nil {
		return m, err
	}
	m.Kind, m.UserID, m.ExpertID = team.Kind(kind), user.Int64, expert.Int64
	m.CreatedAt, m.UpdatedAt = utc(m.CreatedAt), utc(m.UpdatedAt)
	for _, j := range []struct {
		s string
		v *[]string
	}{{langs, &m.Languages}, {skills, &m.Skills}, {roles, &m.Roles}} {
		if err := jsonUnmarshal(j.s, j.v); err != nil {
			return m, fmt.Errorf("team member %d: %w", m.ID, err)
		}
	}
	return m, nil
}

func txMember(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (team.Member, error) {
	m, err := scanMember(q.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM team_members WHERE id = $1`, id))
	if err != nil {
		return m, notFound(err, "team member", id)
	}
	return m, nil
}

func (t *teamStore) Members(ctx context.Context, all bool) ([]team.Member, error) {
	q := `SELECT ` + memberColumns + ` FROM team_members`
	if !all {
		q += ` WHERE anonymised = FALSE`
	}
	return queryAll(ctx, t.s.reader, "team members", scanMember, q+` ORDER BY anonymised, name, id`)
}

func (t *teamStore) Member(ctx context.Context, id int64) (team.Member, error) {
	return txMember(ctx, t.s.reader, id)
}

func (t *teamStore) MemberByUser(ctx context.Context, userID int64) (team.Member, error) {
	m, err := scanMember(t.s.reader.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM team_members WHERE user_id = $1`, userID))
	if err != nil {
		return m, notFound(err, "team member of user", userID)
	}
	return m, nil
}

// fillMember completes a member from their account or linked expert
// (what was left blank) and checks that the roles exist.
func fillMember(ctx context.Context, tx *Tx, in *team.Input) error {
	if in.Kind == team.Staff {
		u, err := userByID(ctx, tx, in.UserID)
		if err != nil {
			return fault.Field("user_id", "no such account")
		}
		if in.Name == "" {
			in.Name = u.DisplayName
			if in.Name == "" {
				in.Name = u.Name
			}
		}
		if in.Email == "" {
			in.Email = u.Email
		}
	}
	if in.ExpertID != 0 {
		e, err := txExpert(ctx, tx, in.ExpertID)
		if err != nil {
			return fault.Field("expert_id", "no such outside expert")
		}
		if in.Name == "" {
			in.Name = e.Name
		}
		if in.Organisation == "" {
			in.Organisation = e.Organisation
		}
		if in.Email == "" && in.Phone == "" {
			in.Email, in.Phone = e.Email, e.Phone
		}
		if len(in.Languages) == 0 {
			in.Languages = e.Languages
		}
	}
	for _, k := range in.Roles {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_roles WHERE code = $1`, k).Scan(&n); err != nil {
			return fmt.Errorf("team role %s: %w", k, err)
		}
		if n == 0 {
			return fault.Field("roles", "%q is not a team role", k)
		}
	}
	return nil
}

func (t *teamStore) AddMember(ctx context.Context, a authz.Actor, in team.Input) (team.Member, error) {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return team.Member{}, err
	}
	var m team.Member
	err := t.s.InTx(ctx, func(tx *Tx) (err error) {
		m, err = addMember(ctx, tx, a, in)
		return err
	})
	return m, err
}

func addMember(ctx context.Context, tx *Tx, a authz.Actor, in team.Input) (team.Member, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return team.Member{}, err
	}
	if err := fillMember(ctx, tx, &in); err != nil {
		return team.Member{}, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO team_members (kind, user_id, expert_id, name, organisation, email, phone, languages, skills, roles,
		active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		string(in.Kind), nullInt(in.UserID), nullInt(in.ExpertID), in.Name, in.Organisation, in.Email, in.Phone,
		mustJSON(orEmpty(in.Languages)), mustJSON(orEmpty(in.Skills)), mustJSON(orEmpty(in.Roles)), in.Active, tx.Now).Scan(&id)
	if isUnique(err) {
		return team.Member{}, fault.Field("user_id", "this account is on the team already")
	}
	if err != nil {
		return team.Member{}, fmt.Errorf("insert team member: %w", err)
	}
	m, err := txMember(ctx, tx, id)
	if err != nil {
		return m, err
	}
	return m, tx.Audit(ctx, a, "team.member.add", "team_member", strconv.FormatInt(id, 10), nil, m.Redacted())
}

func (t *teamStore) SaveMember(ctx context.Context, a authz.Actor, id int64, in team.Input) (team.Member, error) {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return team.Member{}, err
	}
	var m team.Member
	err := t.s.InTx(ctx, func(tx *Tx) (err error) {
		m, err = saveMember(ctx, tx, a, id, in)
		return err
	})
	return m, err
}

func saveMember(ctx context.Context, tx *Tx, a authz.Actor, id int64, in team.Input) (team.Member, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return team.Member{}, err
	}
	before, err := txMember(ctx, tx, id)
	if err != nil {
		return before, err
	}
	if before.Anonymised {
		return before, fault.New(fault.Conflict, "team member %d was deleted", id)
	}
	if before.Version != in.Version {
		return before, fault.New(fault.Conflict, "team member %d was changed by someone else: reload and try again", id)
	}
	if err := fillMember(ctx, tx, &in); err != nil {
		return before, err
	}
	set, args := setClause(col{"kind", string(in.Kind)}, col{"user_id", nullInt(in.UserID)}, col{"expert_id", nullInt(in.ExpertID)},
		col{"name", in.Name}, col{"organisation", in.Organisation}, col{"email", in.Email}, col{"phone", in.Phone},
		col{"languages", mustJSON(orEmpty(in.Languages))}, col{"skills", mustJSON(orEmpty(in.Skills))},
		col{"roles", mustJSON(orEmpty(in.Roles))}, col{"active", in.Active}, col{"updated_at", tx.Now})
	args = append(args, id, in.Version)
	res, err := tx.Exec(ctx, `UPDATE team_members SET `+set+`, version = version + 1 WHERE id = $`+strconv.Itoa(len(args)-1)+
		` AND version = $`+strconv.Itoa(len(args)), args...)
	if isUnique(err) {
		return before, fault.Field("user_id", "this account is on the team already")
	}
	if err != nil {
		return before, fmt.Errorf("update team member %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return before, fault.New(fault.Conflict, "team member %d was changed by someone else: reload and try again", id)
	}
	after, err := txMember(ctx, tx, id)
	if err != nil {
		return after, err
	}
	return after, tx.Audit(ctx, a, "team.member.save", "team_member", strconv.FormatInt(id, 10), before.Redacted(), after.Redacted())
}

func (t *teamStore) DeleteMember(ctx context.Context, a authz.Actor, id int64) error {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return err
	}
	return t.s.InTx(ctx, func(tx *Tx) error {
		before, err := txMember(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Anonymised {
			return nil
		}
		m := team.Anonymise(before)
		if _, err := tx.Exec(ctx, `UPDATE team_members SET user_id = NULL, expert_id = NULL, name = '', organisation = '', email = '', phone = '',
			languages = '[]', skills = '[]', roles = '[]', active = FALSE, anonymised = TRUE, updated_at = $1, version = version + 1
			WHERE id = $2`, tx.Now, id); err != nil {
			return fmt.Errorf("anonymise team member %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM team_shifts WHERE member_id = $1 AND starts_at > $2
			AND id NOT IN (SELECT shift_id FROM team_swaps)`, id, tx.Now); err != nil {
			return fmt.Errorf("future shifts of team member %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE team_candidates SET name = '', email = '', phone = '' WHERE member_id = $1`, id); err != nil {
			return fmt.Errorf("candidate of team member %d: %w", id, err)
		}
		certs, err := queryAll(ctx, tx, "certificates", func(r rowScanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, `SELECT id FROM training_certificates WHERE member_id = $1`, id)
		if err != nil {
			return err
		}
		for _, c := range certs {
			if err := tx.CancelDeadline(ctx, team.ExpiryKind, deadline.Subject{Kind: "certificate", ID: c}); err != nil {
				return err
			}
		}
		if err := dropDeputy(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.member.delete", "team_member", strconv.FormatInt(id, 10), before.Redacted(), m)
	})
}

// dropDeputy takes a deleted member off every role's deputies.
func dropDeputy(ctx context.Context, tx *Tx, memberID int64) error {
	roles, err := queryAll(ctx, tx, "team roles", scanRole, `SELECT `+roleColumns+` FROM team_roles`)
	if err != nil {
		return err
	}
	for _, r := range roles {
		keep := []int64{}
		for _, d := range r.Deputies {
			if d != memberID {
				keep = append(keep, d)
			}
		}
		if len(keep) != len(r.Deputies) {
			if _, err := tx.Exec(ctx, `UPDATE team_roles SET deputies = $1, version = version + 1 WHERE id = $2`, mustJSON(keep), r.ID); err != nil {
				return fmt.Errorf("deputies of %s: %w", r.Key, err)
			}
		}
	}
	return nil
}

func (t *teamStore) ImportMembers(ctx context.Context, a authz.Actor, rows []team.Input) (added, changed int, err error) {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return 0, 0, err
	}
	err = t.s.InTx(ctx, func(tx *Tx) error {
		added, changed = 0, 0
		existing, err := queryAll(ctx, tx, "team members", scanMember, `SELECT `+memberColumns+` FROM team_members WHERE anonymised = FALSE`)
		if err != nil {
			return err
		}
		for i, in := range rows {
			in.Normalize()
			var match *team.Member
			for j := range existing {
				e := &existing[j]
				if (in.Email != "" && e.Email == in.Email) || (in.UserID != 0 && e.UserID == in.UserID) || (in.Email == "" && e.Name == in.Name) {
					match = e
					break
				}
			}
			var m team.Member
			if match == nil {
				m, err = addMember(ctx, tx, a, in)
				added++
			} else {
				in.Version = match.Version
				m, err = saveMember(ctx, tx, a, match.ID, in)
				changed++
			}
			if err != nil {
				return rowFault(i, err)
			}
			existing = append(existing, m)
		}
		return nil
	})
	return added, changed, err
}

// rowFault names the row of an import in a refusal: rows[i].field.
func rowFault(i int, err error) error {
	fs := fault.FieldsOf(err)
	if len(fs) == 0 {
		if fault.Is(err, fault.Invalid) {
			e := fault.As(err)
			return fault.Field(fmt.Sprintf("rows[%d].%s", i, e.Field), "%s", e.Message)
		}
		return err
	}
	var out fault.Fields
	for _, e := range fs {
		out.Add(fmt.Sprintf("rows[%d].%s", i, e.Field), "%s", e.Message)
	}
	return out.Err()
}

const roleColumns = `id, code, name, built_in, deputies, requires, version`

func scanRole(r rowScanner) (team.Role, error) {
	var x team.Role
	var deps, reqs string
	if err := r.Scan(&x.ID, &x.Key, &x.Name, &x.BuiltIn, &deps, &reqs, &x.Version); err != nil {
		return x, err
	}
	if err := jsonUnmarshal(deps, &x.Deputies); err != nil {
		return x, fmt.Errorf("team role %s: %w", x.Key, err)
	}
	if err := jsonUnmarshal(reqs, &x.Requires); err != nil {
		return x, fmt.Errorf("team role %s: %w", x.Key, err)
	}
	return x, nil
}

func (t *teamStore) Roles(ctx context.Context) ([]team.Role, error) {
	return queryAll(ctx, t.s.reader, "team roles", scanRole, `SELECT `+roleColumns+` FROM team_roles ORDER BY built_in DESC, id`)
}

func (t *teamStore) Role(ctx context.Context, key string) (team.Role, error) {
	x, err := scanRole(t.s.reader.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM team_roles WHERE code = $1`, key))
	if err != nil {
		return x, notFound(err, "team role", key)
	}
	return x, nil
}

func (t *teamStore) RoleByID(ctx context.Context, id int64) (team.Role, error) {
	x, err := scanRole(t.s.reader.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM team_roles WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "team role", id)
	}
	return x, nil
}

// checkRoleRefs refuses deputies and required courses that do not exist.
func checkRoleRefs(ctx context.Context, tx *Tx, in team.RoleInput) error {
	for _, id := range in.Deputies {
		if m, err := txMember(ctx, tx, id); err != nil || m.Anonymised {
			return fault.Field("deputies", "member %d is not on the team", id)
		}
	}
	for _, id := range in.Requires {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM training_courses WHERE id = $1`, id).Scan(&n); err != nil || n == 0 {
			return fault.Field("requires", "course %d does not exist", id)
		}
	}
	return nil
}

func (t *teamStore) AddRole(ctx context.Context, a authz.Actor, in team.RoleInput) (team.Role, error) {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return team.Role{}, err
	}
	if err := in.Validate(false); err != nil {
		return team.Role{}, err
	}
	var x team.Role
	err := t.s.InTx(ctx, func(tx *Tx) error {
		if err := checkRoleRefs(ctx, tx, in); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO team_roles (code, name, deputies, requires) VALUES ($1, $2, $3, $4) RETURNING id`,
			in.Key, in.Name, mustJSON(orEmpty(in.Deputies)), mustJSON(orEmpty(in.Requires))).Scan(&id)
		if isUnique(err) {
			return fault.Field("key", "a role %q exists already", in.Key)
		}
		if err != nil {
			return fmt.Errorf("insert team role: %w", err)
		}
		if x, err = scanRole(tx.QueryRow(ctx, `SELECT `+roleColumns+` FROM team_roles WHERE id = $1`, id)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.role.add", "team_role", in.Key, nil, x)
	})
	return x, err
}

func (t *teamStore) SaveRole(ctx context.Context, a authz.Actor, key string, in team.RoleInput) (team.Role, error) {
	if err := authz.Require(a, authz.ManageTeam); err != nil {
		return team.Role{}, err
	}
	var x team.Role
	err := t.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanRole(tx.QueryRow(ctx, `SELECT `+roleColumns+` FROM team_roles WHERE code = $1`, key))
		if err != nil {
			return notFound(err, "team role", key)
		}
		in.Key = key
		if before.BuiltIn {
			in.Name = ""
		}
		if err := in.Validate(before.BuiltIn); err != nil {
			return err
		}
		if in.Version != before.Version {
			return fault.New(fault.Conflict, "team role %s was changed by someone else: reload and try again", key)
		}
		if err := checkRoleRefs(ctx, tx, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE team_roles SET name = $1, deputies = $2, requires = $3, version = version + 1 WHERE id = $4`,
			in.Name, mustJSON(orEmpty(in.Deputies)), mustJSON(orEmpty(in.Requires)), before.ID); err != nil {
			return fmt.Errorf("update team role %s: %w", key, err)
		}
		if x, err = scanRole(tx.QueryRow(ctx, `SELECT `+roleColumns+` FROM team_roles WHERE id = $1`, before.ID)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.role.save", "team_role", key, before, x)
	})
	return x, err
}
