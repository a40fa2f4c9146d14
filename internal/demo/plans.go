package demo

import (
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/plan"
)

func d(s string) plan.Duration {
	v, err := plan.ParseDuration(s)
	if err != nil {
		panic(err) // the demo's own constants
	}
	return v
}

var (
	all  = []catalog.Level{catalog.LevelI, catalog.LevelII, catalog.LevelIII, catalog.LevelIV}
	high = []catalog.Level{catalog.LevelI, catalog.LevelII}
)

func typhoonBody() plan.Body {
	return plan.Body{
		Scope: "All districts; the harbour front and low-lying coast first.",
		Activation: map[catalog.Level]string{
			catalog.LevelI:   "Signal No. 10, or storm surge over 2 m",
			catalog.LevelII:  "Signal No. 8 expected within 12 hours",
			catalog.LevelIII: "Signal No. 3",
			catalog.LevelIV:  "Signal No. 1",
		},
		Steps: []plan.Step{
			{Key: "w1", Phase: plan.Warning, Title: "Open the emergency operations room", Levels: high, OwnerRole: authz.Commander, Deadline: d("30m"),
				Checklist: []string{"Call the duty roster", "Test the radio link", "Open the shared situation log"}},
			{Key: "w2", Phase: plan.Warning, Title: "Brief department liaisons", Levels: all, OwnerRole: authz.Commander, Deadline: d("1h")},
			{Key: "r1", Phase: plan.Response, Title: "Publish the first public notice", Levels: all, OwnerRole: authz.Editor, Deadline: d("30m"),
				Checklist: []string{"Draft from the level template", "Review", "Approve and publish"}},
			{Key: "r2", Phase: plan.Response, Title: "Pre-position sandbags in low-lying districts", Levels: high, OwnerDept: "public-works", Deadline: d("4h")},
			{Key: "r3", Phase: plan.Response, Title: "Open temporary shelters", Levels: []catalog.Level{catalog.LevelI}, OwnerDept: "public-works", Deadline: d("2h")},
			{Key: "r4", Phase: plan.Response, Title: "Media briefing", Levels: high, OwnerRole: authz.Editor, Deadline: d("3h")},
			{Key: "v1", Phase: plan.Recovery, Title: "Damage survey", Levels: all, OwnerDept: "public-works", Deadline: d("2d")},
			{Key: "v2", Phase: plan.Recovery, Title: "Post-crisis review meeting", Levels: all, OwnerRole: authz.Commander, Deadline: d("1w")},
		},
		Contacts: []plan.Contact{
			{Name: "Observatory duty forecaster", Role: "Weather briefings", Phone: "+85200000001"},
			{Name: "Fire services control", Role: "Rescue", Phone: "+85200000002"},
		},
		Resources: []plan.Resource{
			{Name: "Sandbags", Quantity: "5,000", Location: "Depot 4"},
			{Name: "Camp beds", Quantity: "800", Location: "Community hall stores"},
		},
		// Complete templates: each language's text and every CAP field, so
		// that a notice drafted from one is ready to send.
		Templates: []plan.Template{
			{Level: catalog.LevelII, Audience: plan.Public, Language: "zh-Hant", Headline: "{{location}}颱風警告",
				Body:        "天文台預計於十二小時內發出八號烈風或暴風信號。{{summary}}",
				Instruction: "請留在室內，遠離海旁及低窪地區。", Contact: "緊急熱線 1823", CAP: typhoonCAP("Severe")},
			{Level: catalog.LevelII, Audience: plan.Public, Language: "zh-Hans", Headline: "{{location}}台风警告",
				Body:        "天文台预计于十二小时内发出八号烈风或暴风信号。{{summary}}",
				Instruction: "请留在室内，远离海旁及低洼地区。", Contact: "紧急热线 1823", CAP: typhoonCAP("Severe")},
			{Level: catalog.LevelII, Audience: plan.Public, Language: "en", Headline: "Typhoon warning for {{location}}",
				Body:        "Signal No. 8 is expected within 12 hours. {{summary}}",
				Instruction: "Stay indoors and away from the shore and low-lying areas.", Contact: "Emergency hotline 1823", CAP: typhoonCAP("Severe")},
			{Level: catalog.LevelI, Audience: plan.Public, Language: "zh-Hant", Headline: "{{location}}颱風緊急情況",
				Body:        "臨時庇護中心已開放。{{summary}}",
				Instruction: "請聽從緊急服務人員指示，切勿外出。", Contact: "緊急熱線 1823", CAP: typhoonCAP("Extreme")},
			{Level: catalog.LevelI, Audience: plan.Public, Language: "en", Headline: "Typhoon emergency: {{location}}",
				Body:        "Shelters are open. {{summary}}",
				Instruction: "Follow instructions from emergency services and do not go out.", Contact: "Emergency hotline 1823", CAP: typhoonCAP("Extreme")},
		},
		Matrix: []plan.CommRow{
			{Key: "c1", Level: catalog.LevelI, Audience: "public", Content: "Situation update", Channels: []string{"web", "sms", "email"}, Cadence: d("60m"), Phase: plan.Response},
			{Key: "c2", Level: catalog.LevelII, Audience: "public", Content: "Situation update", Channels: []string{"web", "email"}, Cadence: d("2h"), Phase: plan.Response},
			{Key: "c3", Level: catalog.LevelII, Audience: "departments", Content: "Task status", Channels: []string{"email"}, Cadence: d("4h"), Phase: plan.Response},
			{Key: "c4", Level: catalog.LevelII, Audience: "public", Content: "Recovery progress", Channels: []string{"web"}, Cadence: d("1w"), Phase: plan.Recovery},
		},
		ActivationDeadline: plan.Duration(24 * time.Hour),
		FirstNoticeDue:     plan.Duration(30 * time.Minute),
		ReviewMonths:       12,
		FastPathLevels:     high,
	}
}

// typhoonCAP are the CAP fields of the typhoon plan's public templates at
// a severity.
func typhoonCAP(severity string) plan.TemplateCAP {
	return plan.TemplateCAP{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: severity,
		Certainty: "Likely", Area: "{{location}}"}
}

func foodBody() plan.Body {
	return plan.Body{
		Scope: "Food poisoning clusters linked to premises or products sold in the city.",
		Activation: map[catalog.Level]string{
			catalog.LevelI:  "Deaths, or over 100 linked cases",
			catalog.LevelII: "Over 20 linked cases or a recalled product widely sold",
		},
		Steps: []plan.Step{
			{Key: "w1", Phase: plan.Warning, Title: "Confirm the case cluster with hospitals", Levels: all, OwnerDept: "health", Deadline: d("2h")},
			{Key: "r1", Phase: plan.Response, Title: "Publish the first public notice", Levels: all, OwnerRole: authz.Editor, Deadline: d("30m")},
			{Key: "r2", Phase: plan.Response, Title: "Trace and withhold the product", Levels: all, OwnerDept: "health", Deadline: d("6h")},
			{Key: "v1", Phase: plan.Recovery, Title: "Inspect premises before reopening", Levels: all, OwnerDept: "health", Deadline: d("3d")},
		},
		Templates: []plan.Template{
			{Level: catalog.LevelII, Audience: plan.Public, Language: "en", Headline: "Food safety alert: {{title}}",
				Body: "Do not eat the products named below. {{summary}}", Instruction: "If you feel unwell after eating them, see a doctor.",
				Contact: "Food safety hotline 2868 0000",
				CAP: plan.TemplateCAP{Event: "Food poisoning", Category: "Health", Urgency: "Expected", Severity: "Moderate",
					Certainty: "Likely", Area: "{{location}}"}},
		},
		Matrix: []plan.CommRow{
			{Key: "c1", Level: catalog.LevelII, Audience: "public", Content: "Product list and advice", Channels: []string{"web", "email"}, Cadence: d("4h"), Phase: plan.Response},
			{Key: "c2", Level: catalog.LevelII, Audience: "media", Content: "Briefing", Channels: []string{"email"}, Cadence: d("1d"), Phase: plan.Response},
		},
		ReviewMonths: 12,
	}
}
