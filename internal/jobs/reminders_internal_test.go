package jobs

import (
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
)

// A plan review reminder is worded in its author's language.
func TestReminderMessageInTheAuthorsLanguage(t *testing.T) {
	t.Parallel()
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	r := store.ReviewReminder{Plan: plan.Plan{ID: 7, Code: "typhoon", Version: 2, Title: "Typhoon plan", Status: plan.Approved, ReviewDue: due},
		Author: account.User{Email: "ann@example.org"}}
	cases := []struct {
		lang string
		now  time.Time
		want []string
	}{
		{"en", due.AddDate(0, 0, -10), []string{"The review of plan “Typhoon plan” (typhoon v2) falls due on 2026-12-20.",
			"Open the plan to revise it: https://desk.example/desk/plans/7"}},
		{"zh-Hant", due.AddDate(0, 0, -10), []string{"應急預案「Typhoon plan」（typhoon 第 2 版）須於 2026-12-20 覆檢。",
			"開啟應急預案以作修訂：https://desk.example/desk/plans/7"}},
		{"zh-Hans", due.AddDate(0, 0, 1), []string{"应急预案“Typhoon plan”（typhoon 第 2 版）已于 2026-12-20 逾期未复检。"}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			m := reminderMessage(c.For(tc.lang), r, tc.now, "https://desk.example/")
			if m.To != "ann@example.org" || m.Subject != "[crisisdesk] "+tc.want[0] {
				t.Errorf("to %q subject %q", m.To, m.Subject)
			}
			for _, w := range tc.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text %q lacks %q", m.Text, w)
				}
			}
		})
	}
}
