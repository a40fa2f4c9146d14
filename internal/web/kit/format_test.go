package kit

import (
	"testing"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
)

// TestCountdownInWords: a countdown says its days in words, as
// static/live.js writes them from dayPattern, and the rest as a clock.
func TestCountdownInWords(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		left  time.Duration
		sign  string
		days  int64
		clock string
	}{
		{"hours", 2*time.Hour + 3*time.Minute + 4*time.Second, "", 0, "02:03:04"},
		{"days", 49*time.Hour + 30*time.Second, "", 2, "01:00:30"},
		{"overdue", -(25 * time.Hour), "-", 1, "01:00:00"},
	} {
		v := NewClockView("x", crisis.Clock{DueAt: now.Add(tc.left)}, now)
		if v.LeftSign != tc.sign || v.LeftDays != tc.days || v.LeftClock != tc.clock {
			t.Errorf("%s: %q %d %q, want %q %d %q", tc.name, v.LeftSign, v.LeftDays, v.LeftClock, tc.sign, tc.days, tc.clock)
		}
	}
	for _, tc := range []struct {
		lang       string
		n          int
		wantFormat string
	}{
		{i18n.TraditionalChinese, 1, "# 日"}, {i18n.TraditionalChinese, 2, "# 日"},
		{i18n.English, 1, "# day"}, {i18n.English, 2, "# days"}, {i18n.SimplifiedChinese, 2, "# 天"},
	} {
		if got := dayPattern(cat.For(tc.lang), tc.n); got != tc.wantFormat {
			t.Errorf("%s dayPattern(%d) = %q, want %q", tc.lang, tc.n, got, tc.wantFormat)
		}
	}
}
