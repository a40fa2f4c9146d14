package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/store"
	"crisisdesk/internal/workplan"
)

// demoRisks loads the plan's default register (when the app has not yet)
// and two risks the typhoon raised, linked to it: one rated up since.
func demoRisks(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	if _, err := st.SeedRisks(ctx); err != nil {
		return fmt.Errorf("demo risk register: %w", err)
	}
	rs := st.Risks()
	cmd, works, editor := actors[authz.Commander], actors[authz.Liaison], actors[authz.Editor]
	links := []risk.Link{{Kind: "crisis", TargetID: c.ID}, {Kind: "crisis_type", TargetID: c.TypeID}}
	surge, err := rs.Create(ctx, cmd, risk.Input{
		Description: "風暴潮在撤離完成前淹浸低窪海岸 Storm surge floods the low-lying coast before the evacuation is complete",
		Category:    risk.External, Cause: "Surge forecast up to 1.2 m above normal tide at the evening high tide",
		Consequence: "Residents trapped in districts 3 and 7; rescues in the storm", Likelihood: 3, Impact: 5,
		OwnerID: works.UserID, Links: links})
	if err != nil {
		return fmt.Errorf("demo risk: %w", err)
	}
	if _, err := rs.Rate(ctx, cmd, surge.ID, 4, 5, "Observatory raised the surge forecast"); err != nil {
		return fmt.Errorf("demo rating: %w", err)
	}
	if _, err := rs.AddMitigation(ctx, cmd, surge.ID, risk.Mitigation{Text: "Open the two upland shelters and send buses to districts 3 and 7",
		OwnerID: works.UserID, Due: now.Add(6 * time.Hour)}); err != nil {
		return fmt.Errorf("demo mitigation: %w", err)
	}
	power, err := rs.Create(ctx, cmd, risk.Input{
		Description: "停電令短訊閘道停止運作 A power cut silences the SMS gateway",
		Category:    risk.Communication, Cause: "Substation in the harbour district in the surge zone",
		Consequence: "Warnings reach the public late or not at all", Likelihood: 2, Impact: 4,
		OwnerID: editor.UserID, Links: links})
	if err != nil {
		return fmt.Errorf("demo risk: %w", err)
	}
	if _, err := rs.AddMitigation(ctx, cmd, power.ID, risk.Mitigation{Text: "Switch the gateway to the backup supply and test a message",
		OwnerID: editor.UserID, Due: now.Add(3 * time.Hour)}); err != nil {
		return fmt.Errorf("demo mitigation: %w", err)
	}
	return nil
}

// demoWork is the year's programme from the plan's template, a hundred
// days in: 40 % done, two sub-tasks overdue (the message templates and
// the plans' signatures), the two tasks they belong to rescheduled.
func demoWork(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, now time.Time) error {
	ws := st.Work()
	ed := actors[authz.Editor]
	p, err := ws.CreateProgramme(ctx, ed, "2026–2027 危機管理計劃 Crisis management programme", now.AddDate(0, 0, -100), true)
	if err != nil {
		return fmt.Errorf("demo programme: %w", err)
	}
	tasks, err := ws.Tasks(ctx, p.ID)
	if err != nil {
		return err
	}
	type change struct {
		status  workplan.Status
		percent int
		owner   authz.Role
		endDay  int // 0: as the template has it
	}
	changes := map[string]change{
		"release":           {workplan.InProgress, 75, authz.Editor, 119},
		"release.platform":  {workplan.Done, 100, authz.Editor, 0},
		"release.templates": {workplan.InProgress, 50, authz.Editor, 0},
		"plans":             {workplan.InProgress, 70, authz.Commander, 129},
		"plans.write":       {workplan.Done, 100, authz.Editor, 0},
		"plans.sign":        {workplan.InProgress, 40, authz.Approver, 0},
		"team":              {workplan.InProgress, 55, authz.Commander, 0},
		"team.form":         {workplan.Done, 100, authz.Commander, 0},
		"team.train":        {workplan.InProgress, 10, authz.Reviewer, 0},
		"drills":            {workplan.NotStarted, 0, authz.Commander, 0},
		"evaluation":        {workplan.NotStarted, 0, authz.Reviewer, 0},
	}
	for _, t := range tasks {
		ch, ok := changes[t.Key]
		if !ok {
			continue
		}
		in := workplan.Input{ParentID: t.ParentID, Title: t.Title, OwnerID: actors[ch.owner].UserID, Start: t.Start, End: t.End,
			Resources: t.Resources, Importance: t.Importance, Outcome: t.Outcome, Status: ch.status, Percent: ch.percent, DependsOn: t.DependsOn}
		if ch.endDay != 0 {
			in.End = p.StartsOn.AddDate(0, 0, ch.endDay)
		}
		if _, err := ws.SaveTask(ctx, ed, t.ID, t.Lock, in); err != nil {
			return fmt.Errorf("demo task %s: %w", t.Key, err)
		}
	}
	return nil
}
