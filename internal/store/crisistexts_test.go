package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestCrisisTexts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		cs := o.st.Crises()
		cmd := o.users[authz.Commander]
		now := o.clk.Now()
		decl := crisis.Declaration{Title: "颱風蘇拉", TypeID: o.typ.ID, Level: catalog.LevelII, Location: "海港校園",
			Summary: "八號風球", DetectedAt: now.Add(-time.Minute)}

		tests := []struct {
			name  string
			texts crisis.Texts
			want  crisis.Texts // nil when the declaration is refused
		}{
			{"no versions", nil, crisis.Texts{}},
			{"versions, trimmed, empty ones dropped",
				crisis.Texts{"en": {Title: " Typhoon Saola ", Location: "Harbour campus"}, "zh-Hans": {Summary: "八号风球"}, "zh-Hant": {}},
				crisis.Texts{"en": {Title: "Typhoon Saola", Location: "Harbour campus"}, "zh-Hans": {Summary: "八号风球"}}},
			{"unknown language", crisis.Texts{"fr": {Title: "Typhon"}}, nil},
		}
		for _, tt := range tests {
			d := decl
			d.Texts = tt.texts
			before, _, err := cs.List(ctx, crisis.Filter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			c, err := cs.Declare(ctx, cmd, d)
			if tt.want == nil {
				after, _, _ := cs.List(ctx, crisis.Filter{Limit: 100})
				if !fault.Is(err, fault.Invalid) || len(after) != len(before) {
					t.Errorf("%s: err %v, %d crises before, %d after", tt.name, err, len(before), len(after))
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			got, err := cs.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Texts) != len(tt.want) {
				t.Errorf("%s: texts = %+v, want %+v", tt.name, got.Texts, tt.want)
			}
			for lang, w := range tt.want {
				if got.Texts[lang] != w {
					t.Errorf("%s: %s = %+v, want %+v", tt.name, lang, got.Texts[lang], w)
				}
			}
			entries, _, err := o.st.Audit().List(ctx, audit.Filter{Entity: "crisis", EntityID: strconv.FormatInt(c.ID, 10), Limit: 10})
			if err != nil || len(entries) == 0 {
				t.Fatalf("%s: audit %v, %v", tt.name, entries, err)
			}
			if audited := strings.Contains(string(entries[len(entries)-1].After), `"texts"`); audited != (len(tt.want) > 0) {
				t.Errorf("%s: texts audited %v: %s", tt.name, audited, entries[len(entries)-1].After)
			}
			if got.Title != decl.Title || got.In("en", nil).Summary != decl.Summary {
				t.Errorf("%s: the declared text should stay and fill what is missing: %+v", tt.name, got)
			}
		}
	})
}
