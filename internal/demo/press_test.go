package demo_test

import (
	"context"
	"io"
	"testing"

	"crisisdesk/internal/demo"
	"crisisdesk/internal/press"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestDemoMediaAndResources checks the demo's media desk and resources:
// five journalists, an answered and an open inquiry on the typhoon, an
// inventory of 20 items with two below their minimum, and the typhoon's
// spending.
func TestDemoMediaAndResources(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		if _, err := demo.Load(ctx, st, st.Clock().Now(), io.Discard); err != nil {
			t.Fatal(err)
		}
		js, err := st.Press().Journalists(ctx)
		if err != nil || len(js) != 5 {
			t.Fatalf("journalists: %d %v", len(js), err)
		}
		qs, total, err := st.Press().Inquiries(ctx, press.InquiryFilter{})
		if err != nil || total != 2 || qs[0].Answered() || !qs[1].Answered() || qs[0].CrisisID == 0 || len(qs[1].NoticeIDs) != 1 {
			t.Fatalf("inquiries: %+v %v", qs, err)
		}
		items, err := st.Resources().Items(ctx)
		if err != nil || len(items) != 20 {
			t.Fatalf("items: %d %v", len(items), err)
		}
		sf, err := st.Resources().Shortfalls(ctx)
		if err != nil || len(sf.Low) != 2 || len(sf.Overspent) != 1 || len(sf.Expiring) == 0 {
			t.Fatalf("shortfalls: %+v %v", sf, err)
		}
		spent, err := st.Resources().Spendings(ctx, 0)
		typhoon := 0
		for _, s := range spent {
			if s.CrisisID == qs[0].CrisisID {
				typhoon++
			}
		}
		if err != nil || typhoon != 1 {
			t.Fatalf("typhoon spending: %+v %v", spent, err)
		}
	})
}
