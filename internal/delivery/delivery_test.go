package delivery

import (
	"testing"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/notice"
)

func TestPriority(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  notice.Kind
		aud   notice.Audience
		level catalog.Level
		want  int
	}{
		{"level I alert", notice.Alert, notice.Public, catalog.LevelI, 1},
		{"level I correction", notice.Correction, notice.Public, catalog.LevelI, 1},
		{"level I update", notice.Update, notice.Public, catalog.LevelI, 2},
		{"level II alert", notice.Alert, notice.Public, catalog.LevelII, 2},
		{"level III alert", notice.Alert, notice.Public, catalog.LevelIII, 3},
		{"routine update", notice.Update, notice.Public, catalog.LevelIV, 4},
		{"standalone announcement", notice.Alert, notice.Public, 0, 3},
		{"internal level I alert", notice.Alert, notice.Internal, catalog.LevelI, 2},
		{"internal routine update", notice.Update, notice.Internal, catalog.LevelIV, 4},
	}
	for _, tt := range tests {
		if got := Priority(notice.Notice{Kind: tt.kind, Audience: tt.aud}, tt.level); got != tt.want {
			t.Errorf("%s: priority %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	t.Parallel()
	for attempts, base := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 8: time.Hour, 30: time.Hour} {
		for range 50 {
			d := Backoff(attempts)
			if d < base/2 || d > base {
				t.Fatalf("Backoff(%d) = %s, want within [%s, %s]", attempts, d, base/2, base)
			}
		}
	}
}

func TestKeyIsStablePerRecipientAndChannel(t *testing.T) {
	t.Parallel()
	a := Delivery{NoticeID: 7, RecipientKind: ToSubscriber, RecipientID: 42, Channel: "email"}
	if a.Key() != "msg_7_s42_email" || Key(7, ToEndpoint, 42, "webhook") != "msg_7_w42_webhook" || Key(7, ToUser, 1, "email") != "msg_7_u1_email" {
		t.Fatalf("keys %s %s", a.Key(), Key(7, ToEndpoint, 42, "webhook"))
	}
}
