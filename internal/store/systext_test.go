package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// rendered returns e's text as a reader of lang sees it: a system entry's
// message rendered, a person's words as written.
func rendered(t *testing.T, lang string, e crisis.Entry) string {
	t.Helper()
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	if e.Msg.Key == "" {
		return e.Text
	}
	return c.For(lang).Msg(e.Msg.Key, e.Msg.Args)
}

// alertText returns a clock alert's text in English.
func alertText(t *testing.T, a crisis.Alert) string {
	t.Helper()
	if a.Msg.Key == "" {
		t.Fatalf("alert stored without its message key: %+v", a)
	}
	return rendered(t, "en", crisis.Entry{Msg: a.Msg})
}

// System entries on a timeline are stored as a message key with its
// arguments, no sentence, and read in each reader's language.
func TestTimelineSystemTexts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		p := o.signed(t)
		cs := o.st.Crises()
		cmd := o.users[authz.Commander]
		now := o.clk.Now()
		c, err := cs.Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon Koinu", TypeID: o.typ.ID, Level: catalog.LevelII,
			Location: "Harbour district", OccurredAt: now.Add(-20 * time.Minute), DetectedAt: now.Add(-10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Activate(ctx, cmd, c.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.ChangeLevel(ctx, cmd, c.ID, catalog.LevelI, "signal 10"); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.AddNote(ctx, cmd, c.ID, "Roads closed", nil); err != nil {
			t.Fatal(err)
		}
		tl, err := cs.Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		byEvent := map[string]crisis.Entry{}
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tl {
			byEvent[e.Event] = e
			if e.Kind != crisis.SystemEntry {
				if e.Msg.Key != "" || e.Text != "Roads closed" {
					t.Errorf("a person's entry: %+v", e)
				}
				continue
			}
			if e.Msg.Key == "" || e.Text != "" {
				t.Errorf("system entry %q stored as a sentence: key %q text %q", e.Event, e.Msg.Key, e.Text)
			}
			for _, lang := range []string{"zh-Hant", "zh-Hans", "en"} {
				if !cat.Has(lang, e.Msg.Key) {
					t.Errorf("%s: no message %q", lang, e.Msg.Key)
				}
				if s := rendered(t, lang, e); strings.Contains(s, "systext.") || strings.Contains(s, "<no value>") {
					t.Errorf("%s %q rendered %q", lang, e.Msg.Key, s)
				}
			}
		}
		cases := []struct {
			event, lang, want string
		}{
			{"declared", "en", "Declared at level II: Typhoon Koinu, Harbour district"},
			{"declared", "zh-Hant", "已宣布，級別 II：Typhoon Koinu，Harbour district"},
			{"level", "en", "Level changed from II to I: signal 10"},
			{"level", "zh-Hant", "級別由 II 變更為 I：signal 10"},
			{"level", "zh-Hans", "级别由 II 变更为 I：signal 10"},
			{"activated", "en", "Activated plan typhoon v1 (Typhoon plan)"},
			{"activated", "zh-Hant", "已啟動應急預案 typhoon 第 1 版（Typhoon plan）"},
		}
		for _, tc := range cases {
			e, ok := byEvent[tc.event]
			if !ok {
				t.Errorf("no %s entry in %+v", tc.event, tl)
				continue
			}
			if got := rendered(t, tc.lang, e); !strings.HasPrefix(got, tc.want) {
				t.Errorf("%s in %s: %q, want it to begin %q", tc.event, tc.lang, got, tc.want)
			}
		}
	})
}
