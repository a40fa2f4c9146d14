package crises_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
)

// The declare form takes the crisis's wording per language, fills the
// other Chinese script by conversion on request, shows a bad version
// beside its field, and a notice made from a plan template then fills its
// placeholders from its own language's wording.
func TestDeclareFormTexts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss := e.SignIn(w.Commander)

	res := boss.Get("/desk/crises/new")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="crisis-texts"`, `name="texts.zh-Hant.title"`, `name="texts.zh-Hans.location"`,
		`name="texts.en.summary"`, `id="crisis-texts-fill"`)

	// Filling the other script declares nothing and converts what is written.
	f := declareForm(e, "Typhoon Koinu")
	f.Set("texts.zh-Hant.title", "颱風小犬")
	f.Set("texts.zh-Hans.location", "东区")
	f.Set("fill", "chinese")
	res = boss.PostForm("/desk/crises/new", f)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `name="texts.zh-Hans.title" value="台风小犬"`, `name="texts.zh-Hant.location" value="東區"`,
		`name="texts.zh-Hant.title" value="颱風小犬"`, `name="title" value="Typhoon Koinu"`)

	tests := []struct {
		name   string
		field  string
		value  string
		status int
		want   string // in the page, on a refusal
	}{
		{"a title too long", "texts.en.title", strings.Repeat("x", 201), http.StatusUnprocessableEntity,
			`<a href="#text-en-title">Title: Enter a title of 1–200 characters.</a>`},
		{"a control character", "texts.zh-Hans.location", "东\x07区", http.StatusUnprocessableEntity, `href="#text-zh-Hans-location"`},
		{"an English location", "texts.en.location", "Harbour campus, east gate", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := declareForm(e, "Typhoon Koinu")
			f.Set("activate", "1")
			f.Set(tt.field, tt.value)
			res := boss.PostForm("/desk/crises/new", f)
			apptest.WantStatus(t, res, tt.status)
			if tt.status != http.StatusSeeOther {
				apptest.WantBody(t, res, "<title>Error: ", tt.want)
				return
			}
			m := regexp.MustCompile(`^/desk/crises/(\d+)\?done=activated$`).FindStringSubmatch(res.Location())
			if m == nil {
				t.Fatalf("declare and activate: %q", res.Location())
			}
			// The room shows the versions.
			apptest.WantBody(t, boss.Get("/desk/crises/"+m[1]), `id="crisis-texts"`,
				`id="crisis-text-en">`+" · Harbour campus, east gate</dd>")
			// The plan's English template says "Typhoon at {{location}}".
			res = boss.Get(fmt.Sprintf("/desk/notices/new?crisis=%s&audience=public&template=0", m[1]))
			apptest.WantStatus(t, res, http.StatusOK)
			apptest.WantBody(t, res, `value="Typhoon at Harbour campus, east gate"`)
		})
	}
}
