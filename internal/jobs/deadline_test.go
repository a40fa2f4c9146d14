package jobs

import (
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/deadline"
	"crisisdesk/internal/i18n"
)

// A deadline alert's e-mail names the clock in its reader's words, gives
// the due time in the office's zone and links to what is owed.
func TestDeadlineMessage(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	a := deadline.Alert{Stage: deadline.WarnStage, Deadline: deadline.Deadline{Kind: "test", Link: "/desk/feedback/7",
		Args: map[string]string{"ref": "FB-7"}, DueAt: time.Date(2026, 9, 1, 2, 30, 0, 0, time.UTC)}}
	for _, tc := range []struct{ lang, want string }{
		{"en", "Test deadline FB-7: 80 % of the time is used; due 2026-09-01 10:30 HKT."},
		{"zh-Hant", "測試期限 FB-7：已用去八成時間，限期 2026-09-01 10:30 HKT。"},
		{"zh-Hans", "测试期限 FB-7：已用去八成时间，限期 2026-09-01 10:30 HKT。"},
	} {
		m := DeadlineMessage(cat.For(tc.lang), a, "dora@example.org", "https://crisis.example.org/", hk)
		if !strings.Contains(m.Subject, tc.want) || !strings.Contains(m.Text, "https://crisis.example.org/desk/feedback/7") || m.To != "dora@example.org" {
			t.Errorf("%s: %+v", tc.lang, m)
		}
	}
}
