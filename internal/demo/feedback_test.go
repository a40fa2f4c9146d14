package demo_test

import (
	"context"
	"io"
	"testing"

	"crisisdesk/internal/demo"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// The demo's typhoon has about forty questions, most answered, three
// overdue, one answer in its FAQ and one linked to the correction.
func TestDemoFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenWith(t, store.SQLite, storetest.Options{})
	if _, err := demo.Load(ctx, st, st.Clock().Now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	fs := st.Feedback()
	all, total, err := fs.List(ctx, feedback.Filter{Limit: 100})
	if err != nil || total != 40 {
		t.Fatalf("demo feedback: %d %v", total, err)
	}
	counts := map[feedback.State]int{}
	linked, crisisID := 0, all[0].CrisisID
	for _, f := range all {
		counts[f.State]++
		if f.CorrectionID != 0 {
			linked++
		}
	}
	if counts[feedback.Replied] < 25 || counts[feedback.Merged] == 0 || linked != 1 {
		t.Fatalf("states %v, %d linked to a correction", counts, linked)
	}
	if _, n, err := fs.List(ctx, feedback.Filter{Overdue: true, Now: st.Clock().Now()}); err != nil || n != 3 {
		t.Fatalf("overdue: %d %v", n, err)
	}
	if faq, err := fs.FAQ(ctx, crisisID); err != nil || len(faq) != 1 {
		t.Fatalf("FAQ %+v %v", faq, err)
	}
}
