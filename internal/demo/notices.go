package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

// publish takes a draft through submit, approve and publish.
func publish(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, n notice.Notice) (notice.Notice, error) {
	ns := st.Notices()
	var err error
	if n, err = ns.Submit(ctx, actors[authz.Editor], n.ID, ""); err != nil {
		return n, err
	}
	if n, err = ns.Approve(ctx, actors[authz.Approver], n.ID, "Checked against the Observatory bulletin."); err != nil {
		return n, err
	}
	return ns.Publish(ctx, actors[authz.Approver], n.ID)
}

// typhoonNotices publishes the first notice of the typhoon and a factual
// correction of it.
func typhoonNotices(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	ns := st.Notices()
	first, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{CrisisID: c.ID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "颱風「海燕」：預計十二小時內發出八號信號",
				Body: "天文台預計於十二小時內發出八號烈風或暴風信號。風暴潮預計較正常潮位高出一點二米。", Instruction: "請留在室內，遠離海旁及低窪地區。", Contact: "熱線 1823"},
			{Language: "zh-Hans", Headline: "台风“海燕”：预计十二小时内发出八号信号",
				Body: "气象台预计于十二小时内发出八号烈风或暴风信号。风暴潮预计较正常潮位高出一点二米。", Instruction: "请留在室内，远离海旁及低洼地区。", Contact: "热线 1823"},
			{Language: "en", Headline: "Typhoon Haiyan: Signal No. 8 expected within 12 hours",
				Body: "Signal No. 8 is expected within 12 hours. Storm surge up to 1.2 m above normal tide.", Instruction: "Stay indoors and away from the shore and low-lying areas.", Contact: "Hotline 1823"},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: "Severe", Certainty: "Likely",
			Effective: now, Expires: now.Add(24 * time.Hour),
			Area: notice.Area{Description: "Harbour district and low-lying coast",
				Polygons: []string{"22.28,114.15 22.30,114.20 22.27,114.22 22.25,114.17 22.28,114.15"}}},
	})
	if err != nil {
		return fmt.Errorf("demo notice: %w", err)
	}
	if first, err = publish(ctx, st, actors, first); err != nil {
		return fmt.Errorf("demo notice: %w", err)
	}
	fixed := append([]notice.Content(nil), first.Contents...)
	fixed[0].Body = "天文台預計於十二小時內發出八號烈風或暴風信號。風暴潮預計較正常潮位高出一點五米。"
	fixed[1].Body = "气象台预计于十二小时内发出八号烈风或暴风信号。风暴潮预计较正常潮位高出一点五米。"
	fixed[2].Body = "Signal No. 8 is expected within 12 hours. Storm surge up to 1.5 m above normal tide."
	corr, err := ns.Correct(ctx, actors[authz.Editor], first.ID, notice.Factual, fixed)
	if err != nil {
		return fmt.Errorf("demo correction: %w", err)
	}
	if _, err := publish(ctx, st, actors, corr); err != nil {
		return fmt.Errorf("demo correction: %w", err)
	}
	return nil
}

// closedFoodCrisis declares, handles and closes a food-safety incident
// whose notice ended with an all-clear.
func closedFoodCrisis(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, typeID, planID int64, now time.Time) error {
	cs, ns := st.Crises(), st.Notices()
	cmd := actors[authz.Commander]
	c, err := cs.Declare(ctx, cmd, crisis.Declaration{Title: "學校午餐食物中毒 School lunch food poisoning", TypeID: typeID,
		Level: catalog.LevelIII, Location: "District 7 primary schools", OccurredAt: now.Add(-3 * time.Hour),
		Summary: "23 pupils unwell after lunch from one caterer; all discharged."})
	if err != nil {
		return fmt.Errorf("demo food crisis: %w", err)
	}
	if _, err := cs.Activate(ctx, cmd, c.ID, planID); err != nil {
		return fmt.Errorf("demo food crisis: %w", err)
	}
	alert, err := ns.Create(ctx, actors[authz.Editor], notice.Notice{CrisisID: c.ID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "暫停供應學校午餐", Body: "第七區一間午餐供應商暫停供應，衛生部正調查。"},
			{Language: "en", Headline: "School lunches suspended", Body: "One lunch caterer in District 7 is suspended while Health investigates."},
		},
		CAP: notice.CAPInfo{Event: "Food poisoning", Category: "Health", Urgency: "Immediate", Severity: "Moderate", Certainty: "Observed",
			Area: notice.Area{Description: "District 7"}},
	})
	if err != nil {
		return fmt.Errorf("demo food notice: %w", err)
	}
	if alert, err = publish(ctx, st, actors, alert); err != nil {
		return fmt.Errorf("demo food notice: %w", err)
	}
	clear, err := ns.AllClear(ctx, actors[authz.Editor], alert.ID, []notice.Content{
		{Language: "zh-Hant", Headline: "學校午餐恢復供應", Body: "化驗結果正常，供應商已完成清潔，明日起恢復供應。"},
		{Language: "en", Headline: "School lunches resume", Body: "Tests are clear and the caterer has been cleaned; lunches resume tomorrow."},
	})
	if err != nil {
		return fmt.Errorf("demo all-clear: %w", err)
	}
	if _, err := publish(ctx, st, actors, clear); err != nil {
		return fmt.Errorf("demo all-clear: %w", err)
	}
	if _, err := cs.Close(ctx, cmd, c.ID, "All pupils recovered; caterer's licence under review."); err != nil {
		return fmt.Errorf("demo food crisis: %w", err)
	}
	return nil
}
