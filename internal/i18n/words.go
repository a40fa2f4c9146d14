package i18n

import (
	"strings"
	"time"
)

// Duration writes d in words in t's language, largest units first and
// down to the minute: "2 小時", "1 hour 30 minutes", "1 星期". Weeks are
// used only for whole weeks. A duration under a minute reads as 0
// minutes.
func (t Translator) Duration(d time.Duration) string {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	var parts []string
	if d >= week && d%week == 0 {
		return t.T("duration.weeks", "Count", int(d/week))
	}
	for _, u := range []struct {
		key  string
		unit time.Duration
	}{{"duration.days", day}, {"duration.hours", time.Hour}, {"duration.minutes", time.Minute}} {
		if n := d / u.unit; n > 0 {
			parts = append(parts, t.T(u.key, "Count", int(n)))
			d -= n * u.unit
		}
	}
	if len(parts) == 0 {
		return t.T("duration.minutes", "Count", 0)
	}
	return strings.Join(parts, " ")
}

// Every writes a cadence in words: "每 2 小時", "every 2 hours".
func (t Translator) Every(d time.Duration) string {
	return t.T("duration.every", "Duration", t.Duration(d))
}

// Channel names a delivery channel (email, sms, webhook, web, app) in
// words: "短訊", not "sms". A channel the catalogue does not know, as a
// plan may name one, is shown as written.
func (t Translator) Channel(code string) string {
	key := "channel." + strings.ToLower(strings.TrimSpace(code))
	if s := t.T(key); s != key {
		return s
	}
	return code
}
