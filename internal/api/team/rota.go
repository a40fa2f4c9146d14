package team

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/team"
)

// Role is a team role.
type Role struct {
	ID       int64   `json:"id"`
	Key      string  `json:"key"`
	Name     string  `json:"name" doc:"The office's name for a role it added; empty for a built-in role"`
	BuiltIn  bool    `json:"built_in"`
	Deputies []int64 `json:"deputies" nullable:"false" doc:"Member ids, first deputy first"`
	Requires []int64 `json:"requires" nullable:"false" doc:"Course ids whose valid certificate the person on duty must hold"`
	Version  int64   `json:"version"`
}

func toRole(x team.Role) Role {
	return Role{ID: x.ID, Key: x.Key, Name: x.Name, BuiltIn: x.BuiltIn, Deputies: kit.OrEmpty(x.Deputies), Requires: kit.OrEmpty(x.Requires), Version: x.Version}
}

func (r *Room) roles(ctx context.Context, _ *struct{}) (*Items[Role], error) {
	rs, err := r.Team.Roles(ctx)
	if err != nil {
		return nil, err
	}
	return items(rs, toRole), nil
}

type addRoleInput struct {
	Body struct {
		Key      string  `json:"key" doc:"2–40 lower-case letters, digits or _"`
		Name     string  `json:"name"`
		Deputies []int64 `json:"deputies,omitempty"`
		Requires []int64 `json:"requires,omitempty"`
	}
}

type roleOutput struct {
	Body Role
}

func (r *Room) addRole(ctx context.Context, in *addRoleInput) (*roleOutput, error) {
	x, err := r.Team.AddRole(ctx, kit.Actor(ctx), team.RoleInput{Key: in.Body.Key, Name: in.Body.Name, Deputies: in.Body.Deputies, Requires: in.Body.Requires})
	if err != nil {
		return nil, err
	}
	return &roleOutput{Body: toRole(x)}, nil
}

// Shift is one person on duty in one role.
type Shift struct {
	ID       int64     `json:"id"`
	Role     string    `json:"role"`
	MemberID int64     `json:"member_id"`
	Member   string    `json:"member"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Note     string    `json:"note"`
}

func toShift(s team.Shift) Shift {
	return Shift{ID: s.ID, Role: s.RoleKey, MemberID: s.MemberID, Member: s.MemberName, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Note: s.Note}
}

type rotaInput struct {
	From     time.Time `query:"from" doc:"Default: now"`
	To       time.Time `query:"to" doc:"Default: seven days after from"`
	Role     string    `query:"role"`
	MemberID int64     `query:"member_id"`
}

func (r *Room) rota(ctx context.Context, in *rotaInput) (*Items[Shift], error) {
	from, to := in.From, in.To
	if from.IsZero() {
		from = time.Now()
	}
	if to.IsZero() {
		to = from.AddDate(0, 0, 7)
	}
	ss, err := r.Team.Shifts(ctx, team.ShiftFilter{From: from, To: to, RoleKey: in.Role, MemberID: in.MemberID})
	if err != nil {
		return nil, err
	}
	return items(ss, toShift), nil
}

type addShiftInput struct {
	Body struct {
		Role     string    `json:"role"`
		MemberID int64     `json:"member_id"`
		StartsAt time.Time `json:"starts_at"`
		EndsAt   time.Time `json:"ends_at"`
		Note     string    `json:"note,omitempty"`
	}
}

type shiftOutput struct {
	Body Shift
}

func (r *Room) addShift(ctx context.Context, in *addShiftInput) (*shiftOutput, error) {
	b := in.Body
	s, err := r.Team.AddShift(ctx, kit.Actor(ctx), team.Shift{RoleKey: b.Role, MemberID: b.MemberID, StartsAt: b.StartsAt, EndsAt: b.EndsAt, Note: b.Note})
	if err != nil {
		return nil, err
	}
	return &shiftOutput{Body: toShift(s)}, nil
}

type swapInput struct {
	ID   int64 `path:"id"`
	Body struct {
		ToMemberID int64  `json:"to_member_id"`
		Reason     string `json:"reason,omitempty"`
	}
}

func (r *Room) swap(ctx context.Context, in *swapInput) (*shiftOutput, error) {
	s, err := r.Team.SwapShift(ctx, kit.Actor(ctx), in.ID, in.Body.ToMemberID, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return &shiftOutput{Body: toShift(s)}, nil
}

func (r *Room) deleteShift(ctx context.Context, in *idInput) (*struct{}, error) {
	return &struct{}{}, r.Team.DeleteShift(ctx, kit.Actor(ctx), in.ID)
}

// Duty is who holds a role at a moment.
type Duty struct {
	Role   string   `json:"role"`
	Member *Member  `json:"member,omitempty" doc:"Absent when nobody is on duty and no deputy can stand in"`
	Deputy bool     `json:"deputy" doc:"A deputy stands in: nobody is on a shift"`
	Until  string   `json:"until,omitempty" doc:"End of the shift, RFC 3339"`
	Next   *Shift   `json:"next,omitempty"`
	Lacks  []string `json:"lacks" nullable:"false" doc:"Required courses the person on duty holds no valid certificate of"`
}

type boardInput struct {
	At   time.Time `query:"at" doc:"Default: now"`
	Role string    `query:"role" doc:"Only this role"`
}

func (r *Room) board(ctx context.Context, in *boardInput) (*Items[Duty], error) {
	at := in.At
	if at.IsZero() {
		at = time.Now()
	}
	ds, err := r.Team.Board(ctx, at)
	if err != nil {
		return nil, err
	}
	conv := toMember(ctx)
	var keep []team.Duty
	for _, d := range ds {
		if in.Role == "" || d.RoleKey == in.Role {
			keep = append(keep, d)
		}
	}
	return items(keep, func(d team.Duty) Duty {
		out := Duty{Role: d.RoleKey, Deputy: d.Deputy, Lacks: []string{}}
		if d.Covered() {
			m := conv(d.Member)
			out.Member = &m
		}
		if d.Shift.ID != 0 {
			out.Until = d.Shift.EndsAt.UTC().Format(time.RFC3339)
		}
		if d.Next.ID != 0 {
			s := toShift(d.Next)
			out.Next = &s
		}
		for _, c := range d.Lacks {
			out.Lacks = append(out.Lacks, c.Title)
		}
		return out
	}), nil
}
