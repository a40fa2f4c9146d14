package store_test

import (
	"context"
	"fmt"
	"testing"

	"crisisdesk/internal/feedback"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// BenchmarkFeedbackSubmit is the intake's group commit with many
// submitters at once (b.SetParallelism), on SQLite.
func BenchmarkFeedbackSubmit(b *testing.B) {
	st := storetest.OpenWith(b, store.SQLite, storetest.Options{})
	fs := st.Feedback()
	ctx := context.Background()
	b.SetParallelism(64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			n++
			if _, err := fs.Submit(ctx, feedback.Submission{Message: fmt.Sprintf("Is the shelter open? %d", n), Channel: feedback.API,
				Contact: "p@example.org"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
