package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

// demoQuestions are what the public asks about the typhoon, with the
// office's answer ("" for those still waiting).
var demoQuestions = []struct {
	lang, text, contact, answer string
	category                    feedback.Category
}{
	{"zh-Hant", "明天學校會停課嗎？", "parent.chan@example.org", "八號風球生效期間全港學校停課；請留意教育局公布。", feedback.Question},
	{"en", "Is the shelter at Harbour Community Hall open tonight?", "+85291230001", "Yes, it opens at 18:00 with 200 places, blankets and water.", feedback.Question},
	{"zh-Hant", "低窪地區居民需要撤離嗎？", "", "三號、四號及七號區低窪地帶居民請於今晚八時前撤離至最近的庇護中心。", feedback.Question},
	{"en", "Your first notice said the ferry stops at 20:00, the ferry company says 18:00. Which is right?", "m.lee@example.org", "The ferry company is right: 18:00. We corrected the notice.", feedback.Error},
	{"zh-Hans", "地铁会停驶吗？", "", "地铁在八号风球生效期间维持有限度服务，请留意港铁公布。", feedback.Question},
	{"en", "Where can I get sandbags?", "+85291230002", "At the district offices of districts 3 and 4 until 17:00, ten per household.", feedback.Question},
	{"zh-Hant", "長者獨居，誰可以幫忙？", "+85291230003", "請致電社署熱線 1823，我們已通知當區社工上門探訪。", feedback.Question},
	{"en", "The bus stop on Coast Road is already flooded.", "", "Thank you: Transport has closed the stop and diverted routes 12 and 14.", feedback.Complaint},
	{"zh-Hant", "建議在通告加上庇護中心地圖。", "", "多謝建議，下一則更新會附上庇護中心地圖連結。", feedback.Suggestion},
	{"en", "Are hospitals open for appointments tomorrow?", "k.wong@example.org", "Emergency departments stay open; routine appointments are rescheduled by SMS.", feedback.Question},
	{"zh-Hans", "宠物可以带进庇护中心吗？", "", "可以，请用笼子装好，并自备食物。", feedback.Question},
	{"en", "Will the water supply be cut?", "", "No cut is planned; keep some drinking water in case of damage to mains.", feedback.Question},
	{"zh-Hant", "我哋條村停電，幾時有電？", "+85291230004", "", feedback.Complaint},
	{"en", "Is the Harbour bridge closed?", "", "", feedback.Question},
	{"zh-Hant", "外傭需要上班嗎？", "", "", feedback.Question},
}

// demoFeedback adds about forty questions on the typhoon over the day
// before it, most answered, three overdue, one merged as a duplicate, one
// published in the crisis's FAQ, the reported ferry-time error linked to
// the correction it caused, and a personal link for the Works department.
func demoFeedback(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	fs := st.Feedback()
	ed, cmd, lia := actors[authz.Editor], actors[authz.Commander], actors[authz.Liaison]
	corrections, _, err := st.Notices().List(ctx, notice.Filter{CrisisID: c.ID, Kind: notice.Correction, Limit: 1})
	if err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	var first feedback.Feedback
	overdue := 0
	for i := range 40 {
		q := demoQuestions[i%len(demoQuestions)]
		sub := feedback.Submission{Message: q.text, Contact: q.contact, Language: q.lang, CrisisID: c.ID, Channel: feedback.Web,
			Category: q.category}
		if q.contact != "" && q.contact[0] == '+' {
			sub.Channel = feedback.SMS
		}
		if i >= len(demoQuestions) { // the same questions again, from others
			sub.Contact = ""
		}
		f, err := fs.Submit(ctx, sub)
		if err != nil {
			return fmt.Errorf("demo feedback %d: %w", i, err)
		}
		// Spread over the last 20 hours; the ones left waiting came in
		// three days ago, and three of them are overdue.
		at := now.Add(-time.Duration(40-i) * 30 * time.Minute)
		if q.answer == "" && overdue < 3 {
			at = now.Add(-73 * time.Hour)
			overdue++
		}
		if f, err = st.BackdateFeedback(ctx, cmd, f.ID, at); err != nil {
			return fmt.Errorf("demo feedback %d: %w", i, err)
		}
		if f, err = fs.Triage(ctx, ed, f.ID, f.Lock, feedback.Triage{Category: q.category, CrisisID: c.ID, Priority: feedback.Normal,
			OwnerID: lia.UserID, Tags: []string{"typhoon"}}); err != nil {
			return fmt.Errorf("demo feedback %d: %w", i, err)
		}
		if q.answer == "" {
			continue
		}
		if i == 0 {
			first = f
		}
		if i >= len(demoQuestions) && i%5 == 0 {
			if _, err := fs.Merge(ctx, ed, f.ID, first.ID); err != nil {
				return fmt.Errorf("demo feedback %d: %w", i, err)
			}
			continue
		}
		if f, err = fs.Reply(ctx, ed, f.ID, q.answer); err != nil {
			return fmt.Errorf("demo feedback %d: %w", i, err)
		}
		switch {
		case i == 1:
			if _, err := fs.Publish(ctx, ed, f.ID, "颱風期間庇護中心何時開放？ When do the shelters open?",
				"晚上六時起開放，提供二百個位置、毛毯及食水。From 18:00, with 200 places, blankets and water."); err != nil {
				return fmt.Errorf("demo FAQ: %w", err)
			}
		case i == 3 && len(corrections) == 1:
			if _, err := fs.TakeAction(ctx, ed, f.ID, "Checked with the ferry company; the notice was corrected."); err != nil {
				return fmt.Errorf("demo action: %w", err)
			}
			if _, err := fs.LinkCorrection(ctx, ed, f.ID, corrections[0].ID); err != nil {
				return fmt.Errorf("demo correction link: %w", err)
			}
		}
	}
	deps, _, err := st.Accounts().ListDepartments(ctx, 0, 1)
	if err != nil {
		return err
	}
	if len(deps) == 1 {
		if _, _, err := fs.CreateLink(ctx, cmd, feedback.Department, deps[0].ID, "Works department / 工務部"); err != nil {
			return fmt.Errorf("demo feedback link: %w", err)
		}
	}
	return nil
}
