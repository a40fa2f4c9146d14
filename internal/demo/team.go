package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/team"
)

// outsiders are the team's members without an account.
var outsiders = []team.Input{
	{Name: "周嘉欣 Chow Ka-yan", Organisation: "Freelance interpreter", Email: "chow@demo.invalid", Phone: "+85261234501", Languages: []string{"yue", "en", "zh-Hans"}, Skills: []string{"Sign language", "Simultaneous interpreting"}, Roles: []string{team.Translator}},
	{Name: "馬子聰 Ma Tsz-chung", Organisation: "Harbour Radio (retired)", Email: "ma@demo.invalid", Phone: "+85261234502", Languages: []string{"yue", "en"}, Skills: []string{"Broadcast"}, Roles: []string{team.MediaLiaison}},
	{Name: "蔡詠詩 Choi Wing-sze", Organisation: "Volunteer corps", Phone: "+85261234503", Languages: []string{"yue"}, Skills: []string{"Call handling"}, Roles: []string{team.Hotline}},
	{Name: "Priya Nair", Organisation: "Volunteer corps", Email: "priya@demo.invalid", Languages: []string{"en", "hi"}, Skills: []string{"Social media", "Hindi"}, Roles: []string{team.SocialMedia}},
	{Name: "梁子謙 Leung Tsz-him", Organisation: "City University", Email: "leung@demo.invalid", Languages: []string{"yue", "en"}, Skills: []string{"Risk communication research"}, Roles: []string{team.ProjectCoordinator}},
}

// staffRoles are the team roles of the demo's staff, by sign-in name.
var staffRoles = map[string][]string{
	"ho.commander":  {team.CommCoordinator},
	"chan.editor":   {team.Spokesperson, team.SocialMedia},
	"lee.reviewer":  {team.Spokesperson},
	"wong.approver": {team.CommCoordinator, team.ProjectCoordinator},
	"lam.works":     {team.MediaLiaison},
	"cheung.health": {team.Hotline},
	"observer":      {team.Translator},
}

// demoTeam adds a team of twelve (the seven staff and five outside
// members), this week's rota in day and night shifts, deputies, and two
// courses whose certificates the spokespeople hold, one lapsing soon.
func demoTeam(ctx context.Context, st *store.Store, sys authz.Actor, now time.Time) error {
	ts := st.Team()
	byName := map[string]team.Member{}
	for _, p := range people {
		u, err := st.Accounts().UserByName(ctx, p.name)
		if err != nil {
			return fmt.Errorf("demo team %s: %w", p.name, err)
		}
		m, err := ts.AddMember(ctx, sys, team.Input{UserID: u.ID, Roles: staffRoles[p.name], Languages: []string{"zh-Hant", "en"}, Active: true})
		if err != nil {
			return fmt.Errorf("demo team %s: %w", p.name, err)
		}
		byName[p.name] = m
	}
	var outside []team.Member
	for _, in := range outsiders {
		in.Kind, in.Active = team.Outside, true
		m, err := ts.AddMember(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo team %s: %w", in.Name, err)
		}
		outside = append(outside, m)
	}

	// This week, Monday to Sunday in Hong Kong time: days 08:00–20:00 and
	// nights 20:00–08:00, each role held by a day and a night person.
	hk := time.FixedZone("HKT", 8*3600)
	d := now.In(hk)
	monday := time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, hk).AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	pairs := []struct {
		role       string
		day, night team.Member
	}{
		{team.Spokesperson, byName["chan.editor"], byName["lee.reviewer"]},
		{team.CommCoordinator, byName["ho.commander"], byName["wong.approver"]},
		{team.MediaLiaison, byName["lam.works"], outside[1]},
		{team.Hotline, byName["cheung.health"], outside[2]},
		{team.SocialMedia, outside[3], byName["observer"]},
	}
	for day := range 7 {
		start := monday.AddDate(0, 0, day)
		for _, p := range pairs {
			for _, s := range []team.Shift{
				{RoleKey: p.role, MemberID: p.day.ID, StartsAt: start, EndsAt: start.Add(12 * time.Hour)},
				{RoleKey: p.role, MemberID: p.night.ID, StartsAt: start.Add(12 * time.Hour), EndsAt: start.Add(24 * time.Hour)},
			} {
				if _, err := ts.AddShift(ctx, sys, s); err != nil {
					return fmt.Errorf("demo rota: %w", err)
				}
			}
		}
	}
	// The translator and the project coordinator are reached through
	// their deputies.
	for _, r := range []struct {
		key      string
		deputies []int64
	}{{team.Translator, []int64{outside[0].ID, byName["observer"].ID}}, {team.ProjectCoordinator, []int64{outside[4].ID, byName["wong.approver"].ID}}} {
		role, err := ts.Role(ctx, r.key)
		if err == nil {
			_, err = ts.SaveRole(ctx, sys, r.key, team.RoleInput{Deputies: r.deputies, Version: role.Version})
		}
		if err != nil {
			return fmt.Errorf("demo role %s: %w", r.key, err)
		}
	}

	media, err := ts.AddCourse(ctx, sys, team.Course{Title: "發言人傳媒培訓 Spokesperson media training", Description: "On camera, the first 30 minutes, hostile questions.", ValidMonths: 24})
	if err != nil {
		return fmt.Errorf("demo course: %w", err)
	}
	basics, err := ts.AddCourse(ctx, sys, team.Course{Title: "危機溝通基礎 Crisis communication basics", Description: "The plan, the clocks, the notices and the public.", ValidMonths: 12})
	if err != nil {
		return fmt.Errorf("demo course: %w", err)
	}
	sess, err := ts.AddSession(ctx, sys, team.Session{CourseID: basics.ID, StartsAt: now.AddDate(0, -2, 0).Truncate(time.Hour), EndsAt: now.AddDate(0, -2, 0).Truncate(time.Hour).Add(3 * time.Hour),
		Trainer: "Ms Ho", Venue: "Training room 3"})
	if err == nil {
		var ids []int64
		for _, m := range byName {
			ids = append(ids, m.ID)
		}
		_, err = ts.SetAttendance(ctx, sys, sess.ID, ids, true)
	}
	if err != nil {
		return fmt.Errorf("demo session: %w", err)
	}
	for _, c := range []team.Certificate{
		{MemberID: byName["chan.editor"].ID, CourseID: media.ID, IssuedAt: now.AddDate(-1, -11, -10), ExpiresAt: now.AddDate(0, 0, 20), Reference: "MT-2024-031"},
		{MemberID: byName["lee.reviewer"].ID, CourseID: media.ID, IssuedAt: now.AddDate(0, -3, 0), ExpiresAt: now.AddDate(0, -3, 0).AddDate(2, 0, 0), Reference: "MT-2026-007"},
	} {
		if _, err := ts.AddCertificate(ctx, sys, c); err != nil {
			return fmt.Errorf("demo certificate: %w", err)
		}
	}
	sp, err := ts.Role(ctx, team.Spokesperson)
	if err == nil {
		_, err = ts.SaveRole(ctx, sys, team.Spokesperson, team.RoleInput{Deputies: []int64{byName["ho.commander"].ID}, Requires: []int64{media.ID}, Version: sp.Version})
	}
	if err != nil {
		return fmt.Errorf("demo spokesperson: %w", err)
	}
	return nil
}
