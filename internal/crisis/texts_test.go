package crisis

import (
	"errors"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

// scripts converts by a small table, standing in for hanzi.Converter.
type scripts struct{}

func (scripts) Convert(s, lang string) (string, error) {
	switch lang {
	case "zh-Hans":
		return strings.NewReplacer("颱風", "台风", "東", "东").Replace(s), nil
	case "zh-Hant":
		return strings.NewReplacer("台风", "颱風", "东", "東").Replace(s), nil
	}
	return "", errors.New("not Chinese")
}

func TestCrisisIn(t *testing.T) {
	t.Parallel()
	declared := Crisis{Title: "颱風", Location: "東翼", Summary: "Signal 8"}
	tests := []struct {
		name  string
		texts Texts
		lang  string
		want  Wording
	}{
		{"own version", Texts{"en": {Title: "Typhoon", Location: "East wing", Summary: "Gusts"}}, "en",
			Wording{"Typhoon", "East wing", "Gusts"}},
		{"english falls back to the declared text", nil, "en", Wording{"颱風", "東翼", "Signal 8"}},
		{"simplified from the declared text", nil, "zh-Hans", Wording{"台风", "东翼", "Signal 8"}},
		{"simplified from the traditional version", Texts{"zh-Hant": {Title: "東區颱風"}}, "zh-Hans",
			Wording{"东區台风", "东翼", "Signal 8"}},
		{"traditional from the simplified version", Texts{"zh-Hans": {Location: "东门"}}, "zh-Hant",
			Wording{"颱風", "東门", "Signal 8"}},
		{"field by field", Texts{"en": {Title: "Typhoon"}}, "en", Wording{"Typhoon", "東翼", "Signal 8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := declared
			c.Texts = tt.texts
			if got := c.In(tt.lang, scripts{}); got != tt.want {
				t.Errorf("In(%s) = %+v, want %+v", tt.lang, got, tt.want)
			}
		})
	}
}

func TestTextsPrefill(t *testing.T) {
	t.Parallel()
	got := Texts{"zh-Hant": {Title: "颱風", Location: "東翼"}, "en": {Title: "Typhoon"}}.Prefill(scripts{})
	if got["zh-Hans"] != (Wording{Title: "台风", Location: "东翼"}) || got["zh-Hant"].Title != "颱風" || got["en"].Title != "Typhoon" {
		t.Errorf("Prefill = %+v", got)
	}
	if got := (Texts{}).Prefill(scripts{}); len(got) != 0 {
		t.Errorf("Prefill of nothing = %+v", got)
	}
}

func TestDeclarationTexts(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	base := Declaration{Title: "Typhoon", TypeID: 1, Level: catalog.LevelII, Location: "Campus"}
	tests := []struct {
		name  string
		texts Texts
		field string // "" when valid
	}{
		{"none", nil, ""},
		{"all three", Texts{"zh-Hant": {Title: "颱風"}, "zh-Hans": {Title: "台风"}, "en": {Summary: "Gusts"}}, ""},
		{"unknown language", Texts{"fr": {Title: "Typhon"}}, "texts.fr"},
		{"title too long", Texts{"en": {Title: strings.Repeat("x", 201)}}, "texts.en.title"},
		{"control character", Texts{"zh-Hant": {Location: "東\x07翼"}}, "texts.zh-Hant.location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base
			d.Texts = tt.texts
			d.Normalize()
			err := d.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			found := false
			for _, e := range fault.FieldsOf(err) {
				found = found || e.Field == tt.field
			}
			if !found {
				t.Fatalf("Validate = %v, want an error on %s", err, tt.field)
			}
		})
	}
}
