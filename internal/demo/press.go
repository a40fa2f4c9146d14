package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/store"
)

// demoPress adds five journalists, an answered and an open inquiry on the
// typhoon, and the office's social media accounts with a post of the
// first notice.
func demoPress(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	ps := st.Press()
	ed, lia := actors[authz.Editor], actors[authz.Liaison]
	var js []press.Journalist
	for _, j := range []press.Journalist{
		{Name: "陳美玲 Chan Mei-ling", Outlet: "海港日報 Harbour Daily", Language: "zh-Hant", Beat: "weather", Email: "meiling.chan@harbourdaily.example", Phone: "+85291230001", Channels: []string{"email", "phone"}, Consent: true},
		{Name: "李志明 Lee Chi-ming", Outlet: "港灣電台 Radio Harbour", Language: "zh-Hant", Beat: "general", Email: "newsdesk@radioharbour.example", Phone: "+85291230002", Channels: []string{"email", "phone", "sms"}, Consent: true},
		{Name: "王晓东 Wang Xiaodong", Outlet: "新华湾区 Bay Area News", Language: "zh-Hans", Beat: "politics", Email: "wang.xd@bayarea.example", Channels: []string{"email"}, Consent: true},
		{Name: "Sarah Mitchell", Outlet: "The Coastal Post", Language: "en", Beat: "transport", Email: "s.mitchell@coastalpost.example", Phone: "+85291230004", Channels: []string{"email"}, Consent: true},
		{Name: "黃家豪 Wong Ka-ho", Outlet: "城市電視 City TV", Language: "zh-Hant", Beat: "community", Phone: "+85291230005", Channels: []string{"phone"}, Consent: false},
	} {
		j.Active = true
		out, err := ps.AddJournalist(ctx, ed, j)
		if err != nil {
			return fmt.Errorf("demo journalist: %w", err)
		}
		js = append(js, out)
	}
	notices, _, err := st.Notices().List(ctx, notice.Filter{CrisisID: c.ID, Status: notice.Published, Limit: 10})
	if err != nil {
		return fmt.Errorf("demo inquiries: %w", err)
	}
	answered, err := ps.LogInquiry(ctx, ed, press.Inquiry{CrisisID: c.ID, JournalistID: js[1].ID, Channel: press.ChannelPhone,
		Question:   "學校明天會停課嗎？Will schools close tomorrow?",
		ReceivedAt: now.Add(-35 * time.Minute), OwnerID: lia.UserID, ReplyBy: now.Add(-35*time.Minute + press.DefaultReplyWithin)})
	if err != nil {
		return fmt.Errorf("demo inquiry: %w", err)
	}
	var ids []int64
	if len(notices) > 0 {
		ids = []int64{notices[0].ID}
	}
	if _, err := ps.AnswerInquiry(ctx, lia, answered.ID, "教育局將於今晚八時公布。The Education Bureau announces at 20:00; our notice carries the shelters.", ids); err != nil {
		return fmt.Errorf("demo answer: %w", err)
	}
	if _, err := ps.LogInquiry(ctx, ed, press.Inquiry{CrisisID: c.ID, JournalistID: js[3].ID, Channel: press.ChannelEmail,
		Question:   "How many households in districts 3 and 4 have been evacuated so far?",
		ReceivedAt: now.Add(-10 * time.Minute), OwnerID: ed.UserID, ReplyBy: now.Add(-10*time.Minute + press.DefaultReplyWithin)}); err != nil {
		return fmt.Errorf("demo open inquiry: %w", err)
	}
	var accs []press.Account
	for _, a := range []press.Account{{Platform: "facebook", Handle: "CityCrisisOffice", Active: true}, {Platform: "x", Handle: "@CityCrisis", Active: true}} {
		out, err := ps.AddAccount(ctx, ed, a)
		if err != nil {
			return fmt.Errorf("demo social account: %w", err)
		}
		accs = append(accs, out)
	}
	if len(notices) > 0 {
		n := notices[len(notices)-1]
		if _, err := ps.RecordPost(ctx, ed, press.Post{AccountID: accs[1].ID, NoticeID: n.ID,
			Text: press.Prepare(n.Headline("en"), "", accs[1].Limit())}); err != nil {
			return fmt.Errorf("demo social post: %w", err)
		}
	}
	return nil
}

// demoResources adds an inventory of 20 items, two of them below their
// minimum, some of it allocated to the typhoon, and a budget with the
// typhoon's spending.
func demoResources(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	rs := st.Resources()
	cmd, lia := actors[authz.Commander], actors[authz.Liaison]
	day := func(d int) time.Time { return now.Truncate(24*time.Hour).AddDate(0, 0, d) }
	items := []resource.Item{
		{Name: "沙包 Sandbags", Category: "flood", Unit: "bags", Quantity: 2400, Minimum: 1000, Location: "Depot A, Harbour Road"},
		{Name: "抽水機 Water pumps", Category: "flood", Unit: "units", Quantity: 6, Minimum: 4, Location: "Depot B", Acquisition: resource.Leased, LeaseEnd: day(21)},
		{Name: "防水布 Tarpaulins", Category: "flood", Unit: "sheets", Quantity: 300, Minimum: 100, Location: "Depot A, Harbour Road"},
		{Name: "充氣艇 Inflatable boats", Category: "vehicle", Unit: "boats", Quantity: 2, Minimum: 2, Location: "Marine unit pier"},
		{Name: "樽裝水 Bottled water (1.5 l)", Category: "water_food", Unit: "bottles", Quantity: 800, Minimum: 2000, Location: "Depot C", Expiry: day(200)},
		{Name: "即食餐 Ready meals", Category: "water_food", Unit: "packs", Quantity: 1500, Minimum: 1000, Location: "Depot C", Expiry: day(25)},
		{Name: "急救包 First-aid kits", Category: "medical", Unit: "kits", Quantity: 120, Minimum: 80, Location: "Health centre store"},
		{Name: "擔架 Stretchers", Category: "medical", Unit: "units", Quantity: 24, Minimum: 10, Location: "Health centre store"},
		{Name: "口罩 Face masks", Category: "protective", Unit: "boxes", Quantity: 40, Minimum: 60, Location: "Health centre store", Expiry: day(400)},
		{Name: "雨衣 Raincoats", Category: "protective", Unit: "pieces", Quantity: 500, Minimum: 200, Location: "Depot A, Harbour Road"},
		{Name: "安全帽 Helmets", Category: "protective", Unit: "pieces", Quantity: 150, Minimum: 100, Location: "Depot B"},
		{Name: "摺床 Camp beds", Category: "shelter", Unit: "beds", Quantity: 600, Minimum: 400, Location: "Community hall store"},
		{Name: "毛毯 Blankets", Category: "shelter", Unit: "pieces", Quantity: 900, Minimum: 600, Location: "Community hall store"},
		{Name: "發電機 Generators", Category: "power", Unit: "units", Quantity: 4, Minimum: 2, Location: "Depot B", Acquisition: resource.Leased, LeaseEnd: day(120)},
		{Name: "應急燈 Floodlights", Category: "power", Unit: "units", Quantity: 30, Minimum: 20, Location: "Depot B"},
		{Name: "電筒 Torches", Category: "power", Unit: "pieces", Quantity: 200, Minimum: 100, Location: "Depot A, Harbour Road"},
		{Name: "對講機 Two-way radios", Category: "communication", Unit: "sets", Quantity: 40, Minimum: 30, Location: "Operations centre"},
		{Name: "衛星電話 Satellite phones", Category: "communication", Unit: "sets", Quantity: 4, Minimum: 3, Location: "Operations centre", Acquisition: resource.Leased, LeaseEnd: day(300)},
		{Name: "流動擴音器 Megaphones", Category: "communication", Unit: "pieces", Quantity: 25, Minimum: 10, Location: "Operations centre"},
		{Name: "路障 Road barriers", Category: "other", Unit: "pieces", Quantity: 120, Minimum: 60, Location: "Depot B"},
	}
	var sandbags, blankets resource.Item
	for i, it := range items {
		out, err := rs.AddItem(ctx, cmd, it)
		if err != nil {
			return fmt.Errorf("demo item %s: %w", it.Name, err)
		}
		switch i {
		case 0:
			sandbags = out
		case 12:
			blankets = out
		}
	}
	for _, m := range []resource.Movement{
		{ItemID: sandbags.ID, Delta: 900, Reason: resource.Allocate, CrisisID: c.ID, Note: "Districts 3 and 4, low-lying streets"},
		{ItemID: blankets.ID, Delta: 150, Reason: resource.Allocate, CrisisID: c.ID, Note: "Shelter at the community hall"},
	} {
		if _, err := rs.MoveItem(ctx, lia, m); err != nil {
			return fmt.Errorf("demo allocation: %w", err)
		}
	}
	year := now.Year()
	var supplies resource.Line
	for _, l := range []resource.Line{
		{Name: "應急物資 Emergency supplies", Source: resource.Allocation, CostItem: "emergency_supplies", Year: year, Amount: 80000000},
		{Name: "培訓 Training", Source: resource.Allocation, CostItem: "training", Year: year, Amount: 25000000},
		{Name: "演練 Drills", Source: resource.Allocation, CostItem: "drills", Year: year, Amount: 15000000},
		{Name: "颱風專項資金 Typhoon special fund", Source: resource.SpecialFunds, CostItem: "emergency_supplies", Year: year, Amount: 50000000},
	} {
		out, err := rs.AddLine(ctx, cmd, l)
		if err != nil {
			return fmt.Errorf("demo budget line: %w", err)
		}
		if supplies.ID == 0 {
			supplies = out
		}
	}
	for _, s := range []resource.Spending{
		{LineID: supplies.ID, Amount: 42000000, Note: "Sandbags and tarpaulins restocked in spring"},
		{LineID: supplies.ID, Amount: 26500000, CrisisID: c.ID, Note: "Typhoon Haiyan: pump lease extension and ready meals"},
	} {
		if _, err := rs.Spend(ctx, lia, s); err != nil {
			return fmt.Errorf("demo spending: %w", err)
		}
	}
	return nil
}
