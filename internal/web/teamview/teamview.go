// Package teamview shows who is on duty, for the team's pages, the
// dashboard and the crisis room alike: one row per team role, in the
// reader's words. The partial "team-duty" (in the team room's templates)
// draws the rows.
package teamview

import (
	"context"
	"strings"
	"time"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/team"
)

// Row is one role's duty.
type Row struct {
	Key     string
	Role    string // the role's name in the reader's language
	Member  string // "" when nobody holds the role
	Deputy  bool   // a deputy stands in: nobody is on a shift
	Until   time.Time
	Next    string // who is on duty next, "" when nobody is planned
	NextAt  time.Time
	Lacks   string // the required courses the person on duty lacks, listed
	Covered bool
}

// RoleName is a role's name in tr's language: a built-in role's message,
// or the name the office gave its own.
func RoleName(tr i18n.Translator, r team.Role) string {
	if r.BuiltIn || r.Name == "" {
		return tr.T("team.role." + r.Key)
	}
	return r.Name
}

// Rows is every role's duty at at, for the reader of tr.
func Rows(ctx context.Context, svc team.Service, tr i18n.Translator, at time.Time) ([]Row, error) {
	roles, err := svc.Roles(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, r := range roles {
		names[r.Key] = RoleName(tr, r)
	}
	board, err := svc.Board(ctx, at)
	if err != nil {
		return nil, err
	}
	out := make([]Row, 0, len(board))
	for _, d := range board {
		row := Row{Key: d.RoleKey, Role: names[d.RoleKey], Member: d.Member.Name, Deputy: d.Deputy, Until: d.Shift.EndsAt,
			Next: d.Next.MemberName, NextAt: d.Next.StartsAt, Covered: d.Covered()}
		var lacks []string
		for _, c := range d.Lacks {
			lacks = append(lacks, c.Title)
		}
		row.Lacks = strings.Join(lacks, ", ")
		out = append(out, row)
	}
	return out, nil
}
