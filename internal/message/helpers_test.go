package message

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func newRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	c, err := i18n.New()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := New(c)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// typhoon is a published public alert in the three languages.
func typhoon() notice.Notice {
	published := time.Date(2026, 9, 14, 6, 30, 0, 0, time.UTC)
	return notice.Notice{ID: 7, CrisisID: 3, Kind: notice.Alert, Audience: notice.Public, Status: notice.Published,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "八號烈風信號：全區學校停課",
				Body:        "天文台已發出八號烈風或暴風信號。\n颱風預料在今晚最接近本港。\n\n所有學校今日停課，政府辦公室只提供緊急服務。",
				Instruction: "請留在室內，遠離窗戶。\n不要前往海旁或低窪地區。",
				Contact:     "市民熱線 1823"},
			{Language: "zh-Hans", Headline: "八号烈风信号：全区学校停课",
				Body:        "天文台已发出八号烈风或暴风信号。\n台风预料在今晚最接近本港。\n\n所有学校今日停课，政府办公室只提供紧急服务。",
				Instruction: "请留在室内，远离窗户。\n不要前往海旁或低洼地区。",
				Contact:     "市民热线 1823"},
			{Language: "en", Headline: "Gale signal No. 8: all schools closed",
				Body:        "The Observatory has issued the No. 8 Gale or Storm Signal.\nThe typhoon is expected to come closest tonight.\n\nAll schools are closed today; government offices offer emergency services only.",
				Instruction: "Stay indoors and away from windows.\nDo not go to the waterfront or low-lying areas.",
				Contact:     "Citizen hotline 1823"},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Effective: published, Expires: published.Add(12 * time.Hour),
			Area: notice.Area{Description: "全港 / Whole territory", Geocodes: []notice.Geocode{{Name: "district", Value: "all"}}}},
		PublishedAt: published, CreatedAt: published.Add(-time.Hour), UpdatedAt: published,
	}
}

func typhoonLinks() Links {
	return Links{Notice: "https://alerts.example.gov/notices/7", CAP: "https://alerts.example.gov/notices/7/cap.xml",
		Unsubscribe: "https://alerts.example.gov/unsubscribe?t=Zx9Qp2"}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
