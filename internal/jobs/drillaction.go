package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/store"
)

// DrillActionDueWorker reminds an improvement action's owner in the app
// when it falls due and is still open.
type DrillActionDueWorker struct {
	river.WorkerDefaults[drill.ActionDueArgs]
	Store *store.Store
}

// Work records the reminder unless the action is done.
func (w *DrillActionDueWorker) Work(ctx context.Context, job *river.Job[drill.ActionDueArgs]) error {
	return w.Store.ActionDue(ctx, job.Args.ActionID)
}
