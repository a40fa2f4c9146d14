package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/report"
	"crisisdesk/internal/store"
)

// demoProgramme adds the programme's running: last week's weekly meeting
// with its approved minutes and two actions on the one action list, this
// week's meeting scheduled, and last month's progress report, approved.
func demoProgramme(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, now time.Time) error {
	ed, ap, cmd, lia, rv := actors[authz.Editor], actors[authz.Approver], actors[authz.Commander], actors[authz.Liaison], actors[authz.Reviewer]
	ms := st.Meetings()
	start := now.Add(time.Hour).Truncate(time.Hour)
	ser, m, err := ms.CreateSeries(ctx, ed, meeting.Series{Title: "每週項目會議 Weekly programme meeting", Location: "Emergency operations centre, room 2",
		FirstStart: start, Duration: time.Hour, Invitees: []int64{ed.UserID, ap.UserID, cmd.UserID, lia.UserID, rv.UserID}})
	if err == nil {
		err = st.BackdateMeetingSeries(ctx, ser.ID, 7*24*time.Hour)
	}
	if err == nil {
		m, err = ms.GenerateAgenda(ctx, ed, m.ID)
	}
	if err == nil {
		m, err = ms.SaveMinutes(ctx, ed, m.ID, meeting.Minutes{Attendees: []int64{ed.UserID, ap.UserID, cmd.UserID, lia.UserID}, Lock: m.Lock,
			Decisions: []string{"颱風季後檢討於下月完成。The post-season review is done next month.", "Train a second approver for the night shift."},
			Notes:     "The tabletop exercise showed the approver as the bottleneck for the first notice."})
	}
	for _, x := range []action.Action{
		{Text: "安排第二位夜間批准人的培訓 Train a second night-shift approver", OwnerID: cmd.UserID, Due: now.Add(7 * 24 * time.Hour)},
		{Text: "Check the shelters' generators before the cold season", OwnerID: lia.UserID, Due: now.Add(14 * 24 * time.Hour)},
	} {
		if err == nil {
			_, err = ms.AddAction(ctx, ed, m.ID, x)
		}
	}
	if err == nil {
		_, err = ms.Approve(ctx, ap, m.ID)
	}
	if err != nil {
		return fmt.Errorf("demo meeting: %w", err)
	}

	rs := st.Reports(time.UTC, report.Policy{Recipients: []string{"pmo@example.org"}})
	last := report.PeriodOf(now.AddDate(0, -1, 0), time.UTC)
	r, err := rs.Generate(ctx, ed, last)
	if err == nil {
		r, err = rs.Save(ctx, ed, r.ID, report.Edit{Lock: r.Lock, Recipients: []string{"pmo@example.org"},
			ProgressText: "颱風應急預案已完成桌面演練，預案運作良好。The typhoon plan passed its tabletop exercise.",
			ProblemsText: "首則公告等候批准人四十分鐘。The first notice waited 40 minutes for an approver.",
			NextText:     "培訓第二位夜間批准人；完成季後檢討。Train a second night-shift approver; finish the post-season review."})
	}
	if err == nil {
		_, err = rs.Approve(ctx, ap, r.ID)
	}
	if err != nil {
		return fmt.Errorf("demo monthly report: %w", err)
	}
	return nil
}
