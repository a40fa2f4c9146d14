package crises_test

import (
	"fmt"
	"strings"
	"testing"

	"crisisdesk/internal/api/crises"
	"crisisdesk/internal/app/apptest"
)

func TestCrisisTexts(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")
	// declare is DeclareJSON with texts added.
	declare := func(texts string) string {
		body := apptest.DeclareJSON(typhoon, "II")
		return strings.TrimSuffix(body, "}") + `,"texts":` + texts + `}`
	}
	tests := []struct {
		name, body string
		status     int
		loc        string       // the field a problem names
		want       crises.Texts // on success
	}{
		{"without texts", apptest.DeclareJSON(typhoon, "II"), 201, "", crises.Texts{}},
		{"with versions", declare(`{"zh-Hant":{"title":"颱風瑪娃","location":"中環"},"en":{"summary":"Signal 8 hoisted"}}`), 201, "",
			crises.Texts{"zh-Hant": {Title: "颱風瑪娃", Location: "中環"}, "en": {Summary: "Signal 8 hoisted"}}},
		{"unknown language", declare(`{"fr":{"title":"Typhon"}}`), 422, "body.texts.fr", nil},
		{"title too long", declare(fmt.Sprintf(`{"en":{"title":%q}}`, strings.Repeat("x", 201))), 422, "body.texts.en.title", nil},
	}
	for _, tt := range tests {
		w := e.Do("commander", "POST", "/api/v1/crises", tt.body)
		if w.Status != tt.status {
			t.Errorf("%s: status %d, want %d; %.400s", tt.name, w.Status, tt.status, w.Body)
			continue
		}
		if tt.status != 201 {
			if p := apptest.WantProblem(t, w); !p.Has(tt.loc) {
				t.Errorf("%s: problem %+v does not name %s", tt.name, p, tt.loc)
			}
			continue
		}
		made := apptest.Decode[crises.Crisis](t, w)
		got := apptest.Decode[crises.Crisis](t, e.Do("observer", "GET", fmt.Sprintf("/api/v1/crises/%d", made.ID), ""))
		if got.Title != "Typhoon Mawar" || len(got.Texts) != len(tt.want) || len(made.Texts) != len(tt.want) {
			t.Errorf("%s: texts %+v (declared %+v), want %+v", tt.name, got.Texts, made.Texts, tt.want)
		}
		for lang, v := range tt.want {
			if got.Texts[lang] != v {
				t.Errorf("%s: %s = %+v, want %+v", tt.name, lang, got.Texts[lang], v)
			}
		}
		if !strings.Contains(w.Body, `"texts":{`) {
			t.Errorf("%s: texts missing from %.300s", tt.name, w.Body)
		}
	}
}
