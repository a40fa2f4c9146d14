package sms

import (
	"strings"
	"testing"
)

func TestCompose(t *testing.T) {
	t.Parallel()
	link, stop := "https://example.org/notices/12", "Reply STOP to end"
	for _, tt := range []struct {
		name string
		in   Text
		want string // the whole text, or a prefix ending in "…" when cut
	}{
		{"short", Text{Lead: "[EXERCISE] ", Headline: "Stay indoors", Instruction: "Shut the windows.", Link: link, Stop: stop},
			"[EXERCISE] Stay indoors Shut the windows. " + link + " " + stop},
		{"staff get no STOP", Text{Headline: "Stay indoors", Link: link}, "Stay indoors " + link},
		{"long instruction cut", Text{Headline: "颱風警告", Instruction: strings.Repeat("請留在室內。", 40), Link: link, Stop: "回覆 STOP 停止"},
			"颱風警告 請留在室內。"},
		{"long headline cut", Text{Headline: strings.Repeat("暴雨", 100), Instruction: "x", Link: link, Stop: "回覆 STOP 停止"}, "暴雨暴雨"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Compose(tt.in)
			if Count(got).Segments > MaxSegments {
				t.Errorf("%q takes %d segments", got, Count(got).Segments)
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("Compose = %q, want it to start %q", got, tt.want)
			}
			if tt.in.Link != "" && !strings.Contains(got, tt.in.Link) || !strings.HasSuffix(got, tt.in.Stop) {
				t.Errorf("Compose = %q cut the link or the STOP line", got)
			}
		})
	}
}
