package jobs

import (
	"strings"
	"testing"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
)

// Each clock is named in the e-mail in its reader's words, the drill's
// after-action report included (not its code name).
func TestAlertMailNamesTheClock(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ clock, lang, want string }{
		{drill.ReportClock, "en", "After-action report"},
		{drill.ReportClock, "zh-Hant", "演練評估報告"},
		{drill.ReportClock, "zh-Hans", "演练评估报告"},
		{string(crisis.FirstNoticeClock), "en", "First public notice"},
	} {
		m := store.AlertMail{Alert: crisis.Alert{CrisisID: 7, ClockName: tc.clock, Stage: crisis.ExpiredStage}, CrisisTitle: "Drill"}
		msg := alertMessageIn(cat.For(tc.lang), m, "https://crisis.example.org/")
		if !strings.Contains(msg.Subject, tc.want) || strings.Contains(msg.Subject, "drill_report") {
			t.Errorf("%s in %s: subject %q, want it to name %q", tc.clock, tc.lang, msg.Subject, tc.want)
		}
	}
}
