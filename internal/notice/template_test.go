package notice

import (
	"testing"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
)

func TestTemplateFilling(t *testing.T) {
	t.Parallel()
	hkt := time.FixedZone("HKT", 8*3600)
	c := crisis.Crisis{
		Title: "Typhoon Saola", Level: catalog.LevelII, Location: "Harbour campus", Area: "Wan Chai",
		Summary: "Signal 8", OccurredAt: time.Date(2026, 9, 1, 16, 30, 0, 0, hkt),
		DetectedAt: time.Date(2026, 9, 1, 8, 45, 0, 0, time.UTC),
	}
	tests := []struct {
		lang, level string
		tpl         plan.Template
		headline    string
		body        string
	}{
		{"en", "Level II", plan.Template{Language: "en", Headline: "{{type}} {{level}}: {{title}}", Body: "At {{location}} ({{area}}) since {{occurred_at}}. Contact {{contact}}."},
			"Typhoon Level II: Typhoon Saola", "At Harbour campus (Wan Chai) since 2026-09-01 08:30 UTC. Contact 2123 4567."},
		{"zh-Hant", "II級", plan.Template{Language: "zh-Hant", Headline: "{{type}}{{level}}", Body: "偵測於{{ detected_at }}；{{summary}}"},
			"颱風II級", "偵測於2026-09-01 08:45 UTC；Signal 8"},
	}
	for _, tt := range tests {
		typeName := map[string]string{"en": "Typhoon", "zh-Hant": "颱風"}[tt.lang]
		v := Values(c, typeName, tt.lang, nil)
		if v["level"] != tt.level {
			t.Errorf("%s level = %q", tt.lang, v["level"])
		}
		for _, p := range plan.Placeholders {
			if _, ok := v[p]; !ok {
				t.Errorf("%s: no value for placeholder %s", tt.lang, p)
			}
		}
		v["contact"] = "2123 4567"
		got := FromTemplate(tt.tpl, v)
		if got.Language != tt.lang || got.Headline != tt.headline || got.Body != tt.body || got.Contact != "2123 4567" {
			t.Errorf("%s: FromTemplate = %+v", tt.lang, got)
		}
	}
	empty := FromTemplate(plan.Template{Language: "en", Headline: "{{title}}", Body: "{{contact}}"}, Values(crisis.Crisis{}, "", "en", nil))
	if empty.Headline != "…" || empty.Body != "…" {
		t.Errorf("missing values should show …: %+v", empty)
	}
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	p := plan.Plan{Body: plan.Body{Templates: []plan.Template{
		{Level: catalog.LevelI, Audience: plan.Public, Language: "en"},
		{Level: catalog.LevelI, Audience: plan.Media, Language: "en"},
		{Level: catalog.LevelII, Audience: plan.Public, Language: "en"},
		{Level: catalog.LevelI, Audience: plan.Public, Language: "zh-Hant"},
	}}}
	got := Templates(p, catalog.LevelI, Public)
	if len(got) != 2 || got[0].Language != "zh-Hant" || got[1].Language != "en" {
		t.Fatalf("Templates = %+v", got)
	}
}

func TestValuesPerLanguage(t *testing.T) {
	t.Parallel()
	c := crisis.Crisis{Title: "颱風", Location: "校園", Summary: "八號風球",
		Texts: crisis.Texts{"en": {Title: "Typhoon", Location: "Campus"}}}
	tests := []struct{ lang, title, location, summary string }{
		{"en", "Typhoon", "Campus", "八號風球"}, // no English summary: the declared text
		{"zh-Hant", "颱風", "校園", "八號風球"},
	}
	for _, tt := range tests {
		v := Values(c, "", tt.lang, nil)
		if v["title"] != tt.title || v["location"] != tt.location || v["summary"] != tt.summary {
			t.Errorf("%s: values = %v", tt.lang, v)
		}
	}
}
