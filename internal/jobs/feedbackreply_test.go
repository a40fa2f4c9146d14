package jobs_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/feedback"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/jobs"
)

// A reply goes out in the sender's language, with the reference and, by
// e-mail, the link to its page.
func TestFeedbackReplyMessage(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		lang, contact, subject, sms string
	}{
		{"en", "mei@example.org", "Reply to your message FB-7KQ3-M9XD", "FB-7KQ3-M9XD: Ferries stop at 18:00."},
		{"zh-Hant", "+85291234567", "回覆您的訊息 FB-7KQ3-M9XD", "FB-7KQ3-M9XD：Ferries stop at 18:00."},
	}
	for _, c := range cases {
		f := feedback.Feedback{ID: 4, Ref: "FB-7KQ3-M9XD", Language: c.lang, Contact: c.contact, Reply: "Ferries stop at 18:00.", RepliedAt: at}
		m := jobs.ReplyMessage(cat, f, "https://alerts.example.org/")
		if m.To != c.contact || m.Subject != c.subject || m.SMS != c.sms ||
			!strings.Contains(m.Text, "https://alerts.example.org/feedback/FB-7KQ3-M9XD") || !strings.Contains(m.Text, f.Reply) {
			t.Errorf("%s: %+v", c.lang, m)
		}
		if m.Key != "feedback_4_"+strconv.FormatInt(at.Unix(), 10) {
			t.Errorf("%s: key %q", c.lang, m.Key)
		}
	}
}
