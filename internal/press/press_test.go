package press_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/press"
)

func TestJournalistValidate(t *testing.T) {
	t.Parallel()
	good := press.Journalist{Name: "Wong", Outlet: "Daily", Language: "en", Email: "w@daily.example", Channels: []string{"email"}}
	for _, c := range []struct {
		name  string
		edit  func(*press.Journalist)
		field string
	}{
		{"good", func(*press.Journalist) {}, ""},
		{"display name in e-mail", func(j *press.Journalist) { j.Email = "Wong <w@daily.example>" }, "email"},
		{"no dot in domain", func(j *press.Journalist) { j.Email = "w@daily" }, "email"},
		{"short phone", func(j *press.Journalist) { j.Phone = "+8521" }, "phone"},
		{"unknown beat", func(j *press.Journalist) { j.Beat = "sport" }, "beat"},
		{"unknown channel", func(j *press.Journalist) { j.Channels = []string{"fax"} }, "channels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := good
			c.edit(&j)
			j.Normalize()
			err := j.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != c.field {
				t.Fatalf("%v, want %s", err, c.field)
			}
		})
	}
}

func TestAnswer(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	q := press.Inquiry{ID: 3, ReceivedAt: now, ReplyBy: now.Add(time.Hour)}
	a, err := press.Answer(q, 9, now.Add(2*time.Hour), " Closed. ", []int64{4, 4, 0, 5})
	if err != nil || a.Reply != "Closed." || len(a.NoticeIDs) != 2 || !a.Late(now) || a.Ref() != "MQ-0003" {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := press.Answer(a, 9, now, "again", nil); !fault.Is(err, fault.Conflict) {
		t.Fatalf("twice: %v", err)
	}
}

func TestPrepare(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, link string
		limit      int
	}{
		{"Typhoon signal 8: schools closed", "", 280},
		{string(make([]rune, 400)), "https://x.example/n/1", 280},
		{"颱風信號八號：學校停課，請留在室內，遠離海旁。", "", 10},
	} {
		got := press.Prepare(c.text, c.link, c.limit)
		if n := utf8.RuneCountInString(got); n > c.limit || n == 0 {
			t.Errorf("%q: %d characters, limit %d", got, n, c.limit)
		}
	}
}
