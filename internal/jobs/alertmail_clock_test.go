package jobs

import (
	"strings"
	"testing"
	"time"

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
		msg := alertMessageIn(cat.For(tc.lang), m, "https://crisis.example.org/", nil)
		if !strings.Contains(msg.Subject, tc.want) || strings.Contains(msg.Subject, "drill_report") {
			t.Errorf("%s in %s: subject %q, want it to name %q", tc.clock, tc.lang, msg.Subject, tc.want)
		}
	}
}

// The due time is given in the office's time zone, with the zone named,
// not in UTC.
func TestAlertMailGivesTheDueTimeInTheOfficeZone(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 9, 1, 2, 30, 0, 0, time.UTC)
	m := store.AlertMail{Alert: crisis.Alert{CrisisID: 7, ClockName: string(crisis.FirstNoticeClock), Stage: crisis.WarnStage, DueAt: due},
		CrisisTitle: "Typhoon"}
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{{hk, "2026-09-01 10:30 HKT"}, {nil, "2026-09-01 02:30 UTC"}} {
		msg := alertMessageIn(cat.For("en"), m, "https://crisis.example.org/", tc.loc)
		if !strings.Contains(msg.Text, tc.want) {
			t.Errorf("zone %v: text %q, want the due time %q", tc.loc, msg.Text, tc.want)
		}
	}
}
