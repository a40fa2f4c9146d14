package demo_test

import (
	"context"
	"io"
	"testing"
	"time"

	"crisisdesk/internal/demo"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/team"
)

// TestDemoTeam finds the demo's team of twelve, someone on duty in every
// rota'd role now, and two courses with one certificate lapsing soon.
func TestDemoTeam(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenWith(t, store.SQLite, storetest.Options{})
	now := st.Clock().Now()
	if _, err := demo.Load(ctx, st, now, io.Discard); err != nil {
		t.Fatal(err)
	}
	ts := st.Team()
	if ms, err := ts.Members(ctx, false); err != nil || len(ms) != 12 {
		t.Fatalf("members %d %v", len(ms), err)
	}
	for _, r := range []string{team.Spokesperson, team.CommCoordinator, team.MediaLiaison, team.Hotline, team.SocialMedia, team.Translator} {
		if _, err := ts.OnDuty(ctx, r, now); err != nil {
			t.Errorf("nobody on duty as %s: %v", r, err)
		}
	}
	if cs, err := ts.Courses(ctx); err != nil || len(cs) != 2 {
		t.Fatalf("courses %d %v", len(cs), err)
	}
	if lapsing, err := ts.Lapsing(ctx, now, 30*24*time.Hour); err != nil || len(lapsing) != 1 {
		t.Fatalf("lapsing soon %+v %v", lapsing, err)
	}
}
