package team

import (
	"context"
	"slices"
	"time"

	"crisisdesk/internal/resource"
)

// ResourceView shows the team to the resources area: who is available
// (resource.People) and which roles the rota leaves without cover
// (resource.Cover), for the weekly resource review.
type ResourceView struct{ Team Service }

var (
	_ resource.People = ResourceView{}
	_ resource.Cover  = ResourceView{}
)

// Available lists the active members with their roles and skills, and
// whether they are on duty at at.
func (v ResourceView) Available(ctx context.Context, at time.Time) ([]resource.Person, error) {
	members, err := v.Team.Members(ctx, false)
	if err != nil {
		return nil, err
	}
	board, err := v.Team.Board(ctx, at)
	if err != nil {
		return nil, err
	}
	var out []resource.Person
	for _, m := range members {
		if !m.Active || m.Anonymised {
			continue
		}
		p := resource.Person{Name: m.Name, Roles: m.Roles, Skills: m.Skills}
		for _, d := range board {
			if d.Member.ID == m.ID {
				p.OnDuty = true
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// Uncovered lists, per role, the stretches of [from, to) no shift of the
// rota covers.
func (v ResourceView) Uncovered(ctx context.Context, from, to time.Time) ([]resource.Gap, error) {
	roles, err := v.Team.Roles(ctx)
	if err != nil {
		return nil, err
	}
	shifts, err := v.Team.Shifts(ctx, ShiftFilter{From: from, To: to})
	if err != nil {
		return nil, err
	}
	var out []resource.Gap
	for _, r := range roles {
		out = append(out, gaps(r.Key, shifts, from, to)...)
	}
	return out, nil
}

// gaps walks role's shifts in start order and returns what of [from, to)
// they leave uncovered.
func gaps(role string, shifts []Shift, from, to time.Time) []resource.Gap {
	var mine []Shift
	for _, s := range shifts {
		if s.RoleKey == role && s.EndsAt.After(from) && s.StartsAt.Before(to) {
			mine = append(mine, s)
		}
	}
	slices.SortFunc(mine, func(a, b Shift) int { return a.StartsAt.Compare(b.StartsAt) })
	var out []resource.Gap
	at := from
	for _, s := range mine {
		if s.StartsAt.After(at) {
			out = append(out, resource.Gap{Role: role, From: at, To: s.StartsAt})
		}
		if s.EndsAt.After(at) {
			at = s.EndsAt
		}
	}
	if at.Before(to) {
		out = append(out, resource.Gap{Role: role, From: at, To: to})
	}
	return out
}
