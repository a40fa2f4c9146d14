package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/team"
)

const shiftColumns = `s.id, s.role_key, s.member_id, s.starts_at, s.ends_at, s.note, s.created_by, s.created_at, s.version, m.name, m.anonymised`

const shiftFrom = ` FROM team_shifts s JOIN team_members m ON m.id = s.member_id`

func scanShift(r rowScanner) (team.Shift, error) {
	var s team.Shift
	var anon bool
	err := r.Scan(&s.ID, &s.RoleKey, &s.MemberID, &s.StartsAt, &s.EndsAt, &s.Note, &s.CreatedBy, &s.CreatedAt, &s.Version, &s.MemberName, &anon)
	s.StartsAt, s.EndsAt, s.CreatedAt = utc(s.StartsAt), utc(s.EndsAt), utc(s.CreatedAt)
	if anon {
		s.MemberName = "#" + strconv.FormatInt(s.MemberID, 10)
	}
	return s, err
}

func (t *teamStore) Shifts(ctx context.Context, f team.ShiftFilter) ([]team.Shift, error) {
	return shiftsOf(ctx, t.s.reader, f)
}

func shiftsOf(ctx context.Context, q querier, f team.ShiftFilter) ([]team.Shift, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("s.ends_at > ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("s.starts_at < ?", f.To.UTC())
	}
	if f.RoleKey != "" {
		add("s.role_key = ?", f.RoleKey)
	}
	if f.MemberID != 0 {
		add("s.member_id = ?", f.MemberID)
	}
	q0 := `SELECT ` + shiftColumns + shiftFrom
	if len(where) > 0 {
		q0 += ` WHERE ` + strings.Join(where, " AND ")
	}
	return queryAll(ctx, q, "team shifts", scanShift, q0+` ORDER BY s.starts_at, s.id LIMIT 2000`, args...)
}

func txShift(ctx context.Context, tx *Tx, id int64) (team.Shift, error) {
	s, err := scanShift(tx.QueryRow(ctx, `SELECT `+shiftColumns+shiftFrom+` WHERE s.id = $1`, id))
	if err != nil {
		return s, notFound(err, "shift", id)
	}
	return s, nil
}

// checkShift refuses a shift of an unknown role or member, or one that
// overlaps another shift of the same person (except the one it replaces).
func checkShift(ctx context.Context, tx *Tx, s team.Shift, except int64) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM team_roles WHERE code = $1`, s.RoleKey).Scan(&n); err != nil {
		return fmt.Errorf("team role: %w", err)
	}
	if n == 0 {
		return fault.Field("role", "%q is not a team role", s.RoleKey)
	}
	m, err := txMember(ctx, tx, s.MemberID)
	if err != nil || m.Anonymised {
		return fault.Field("member_id", "member %d is not on the team", s.MemberID)
	}
	var clash sql.NullInt64
	err = tx.QueryRow(ctx, `SELECT MIN(id) FROM team_shifts WHERE member_id = $1 AND id <> $2 AND starts_at < $3 AND ends_at > $4`,
		s.MemberID, except, s.EndsAt, s.StartsAt).Scan(&clash)
	if err != nil {
		return fmt.Errorf("overlapping shifts: %w", err)
	}
	if clash.Valid {
		o, _ := txShift(ctx, tx, clash.Int64)
		return fault.Field("starts_at", "%s is on duty as %s from %s to %s already: shifts of one person cannot overlap",
			m.Name, o.RoleKey, o.StartsAt.Format(time.RFC3339), o.EndsAt.Format(time.RFC3339))
	}
	return nil
}

func (t *teamStore) AddShift(ctx context.Context, a authz.Actor, s team.Shift) (team.Shift, error) {
	if err := authz.Require(a, authz.ManageRota); err != nil {
		return team.Shift{}, err
	}
	s.StartsAt, s.EndsAt, s.Note = s.StartsAt.UTC(), s.EndsAt.UTC(), strings.TrimSpace(plaintext.Normalize(s.Note))
	if err := s.Validate(); err != nil {
		return team.Shift{}, err
	}
	var out team.Shift
	err := t.s.InTx(ctx, func(tx *Tx) error {
		if err := checkShift(ctx, tx, s, 0); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO team_shifts (role_key, member_id, starts_at, ends_at, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.RoleKey, s.MemberID, s.StartsAt, s.EndsAt, s.Note, a.UserID, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert shift: %w", err)
		}
		var err error
		if out, err = txShift(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.shift.add", "team_shift", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

func (t *teamStore) DeleteShift(ctx context.Context, a authz.Actor, id int64) error {
	if err := authz.Require(a, authz.ManageRota); err != nil {
		return err
	}
	return t.s.InTx(ctx, func(tx *Tx) error {
		before, err := txShift(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM team_shifts WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete shift %d: %w", id, err)
		}
		return tx.Audit(ctx, a, "team.shift.delete", "team_shift", strconv.FormatInt(id, 10), before, nil)
	})
}

func (t *teamStore) SwapShift(ctx context.Context, a authz.Actor, shiftID, toMember int64, reason string) (team.Shift, error) {
	if err := authz.Require(a, authz.ManageRota); err != nil {
		return team.Shift{}, err
	}
	reason = strings.TrimSpace(plaintext.Normalize(reason))
	var f fault.Fields
	if toMember <= 0 {
		f.Add("to_member_id", "choose who takes the shift")
	}
	plaintext.CheckLine(&f, "reason", reason)
	if err := f.Err(); err != nil {
		return team.Shift{}, err
	}
	var out team.Shift
	err := t.s.InTx(ctx, func(tx *Tx) error {
		before, err := txShift(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		if before.MemberID == toMember {
			return fault.Field("to_member_id", "the shift is theirs already")
		}
		next := before
		next.MemberID = toMember
		if err := checkShift(ctx, tx, next, shiftID); err != nil {
			if fe := fault.FieldsOf(err); len(fe) > 0 && fe[0].Field == "member_id" {
				return fault.Field("to_member_id", "%s", fe[0].Message)
			}
			if fault.Is(err, fault.Invalid) && fault.As(err).Field == "member_id" {
				return fault.Field("to_member_id", "%s", fault.As(err).Message)
			}
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE team_shifts SET member_id = $1, version = version + 1 WHERE id = $2`, toMember, shiftID); err != nil {
			return fmt.Errorf("swap shift %d: %w", shiftID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO team_swaps (shift_id, from_member_id, to_member_id, reason, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			shiftID, before.MemberID, toMember, reason, a.UserID, tx.Now); err != nil {
			return fmt.Errorf("record swap: %w", err)
		}
		if out, err = txShift(ctx, tx, shiftID); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "team.shift.swap", "team_shift", strconv.FormatInt(shiftID, 10), before, out)
	})
	return out, err
}

func (t *teamStore) Swaps(ctx context.Context, limit int) ([]team.Swap, error) {
	_, limit = clampPage(0, limit)
	return queryAll(ctx, t.s.reader, "swaps", func(r rowScanner) (team.Swap, error) {
		var w team.Swap
		var fa, ta bool
		err := r.Scan(&w.ID, &w.ShiftID, &w.FromMemberID, &w.ToMemberID, &w.Reason, &w.ActorID, &w.At, &w.FromName, &fa, &w.ToName, &ta, &w.RoleKey, &w.StartsAt)
		w.At, w.StartsAt = utc(w.At), utc(w.StartsAt)
		if fa {
			w.FromName = "#" + strconv.FormatInt(w.FromMemberID, 10)
		}
		if ta {
			w.ToName = "#" + strconv.FormatInt(w.ToMemberID, 10)
		}
		return w, err
	}, `SELECT w.id, w.shift_id, w.from_member_id, w.to_member_id, w.reason, w.actor_id, w.at, f.name, f.anonymised, t.name, t.anonymised, s.role_key, s.starts_at
		FROM team_swaps w JOIN team_members f ON f.id = w.from_member_id JOIN team_members t ON t.id = w.to_member_id
		JOIN team_shifts s ON s.id = w.shift_id ORDER BY w.at DESC, w.id DESC LIMIT $1`, limit)
}

func (t *teamStore) OnDuty(ctx context.Context, role string, at time.Time) (team.Member, error) {
	d, err := t.duty(ctx, role, at)
	if err != nil {
		return team.Member{}, err
	}
	if !d.Covered() {
		return team.Member{}, fault.New(fault.NotFound, "nobody is on duty as %s at %s", role, at.UTC().Format(time.RFC3339))
	}
	return d.Member, nil
}

// duty is who holds role at at, the next shift, and what they lack.
func (t *teamStore) duty(ctx context.Context, key string, at time.Time) (team.Duty, error) {
	r, err := t.Role(ctx, key)
	if err != nil {
		return team.Duty{}, err
	}
	return t.dutyOf(ctx, r, at)
}

func (t *teamStore) dutyOf(ctx context.Context, r team.Role, at time.Time) (team.Duty, error) {
	d := team.Duty{RoleKey: r.Key}
	shifts, err := shiftsOf(ctx, t.s.reader, team.ShiftFilter{From: at, To: at.Add(14 * 24 * time.Hour), RoleKey: r.Key})
	if err != nil {
		return d, err
	}
	for _, s := range shifts {
		switch {
		case s.Covers(at) && d.Shift.ID == 0:
			d.Shift = s
		case s.StartsAt.After(at) && d.Next.ID == 0:
			d.Next = s
		}
	}
	if d.Shift.ID != 0 {
		if d.Member, err = t.Member(ctx, d.Shift.MemberID); err != nil {
			return d, err
		}
	} else {
		for _, id := range r.Deputies {
			m, err := t.Member(ctx, id)
			if err == nil && m.Active && !m.Anonymised && !t.busy(ctx, id, at) {
				d.Member, d.Deputy = m, true
				break
			}
		}
	}
	if d.Member.ID != 0 && len(r.Requires) > 0 {
		certs, err := t.Certificates(ctx, d.Member.ID)
		if err != nil {
			return d, err
		}
		courses, err := t.Courses(ctx)
		if err != nil {
			return d, err
		}
		for _, c := range courses {
			if !slices.Contains(r.Requires, c.ID) {
				continue
			}
			if !slices.ContainsFunc(certs, func(x team.Certificate) bool { return x.CourseID == c.ID && x.ValidAt(at) }) {
				d.Lacks = append(d.Lacks, c)
			}
		}
	}
	return d, nil
}

// busy reports whether a member is on a shift of another role at at.
func (t *teamStore) busy(ctx context.Context, memberID int64, at time.Time) bool {
	var n int
	_ = t.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_shifts WHERE member_id = $1 AND starts_at <= $2 AND ends_at > $2`,
		memberID, at.UTC()).Scan(&n)
	return n > 0
}

func (t *teamStore) Board(ctx context.Context, at time.Time) ([]team.Duty, error) {
	roles, err := t.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]team.Duty, 0, len(roles))
	for _, r := range roles {
		d, err := t.dutyOf(ctx, r, at)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
