package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/store"
)

// DrillInjectWorker delivers a drill's inject at its time into the
// exercise crisis room and to its people. A job whose inject was fired
// early, skipped, paused or moved by a resumption does nothing.
type DrillInjectWorker struct {
	river.WorkerDefaults[drill.InjectArgs]
	Store *store.Store
}

// Work delivers the inject if it is still due.
func (w *DrillInjectWorker) Work(ctx context.Context, job *river.Job[drill.InjectArgs]) error {
	_, err := w.Store.DeliverInject(ctx, job.Args.InjectID, job.Args.DueAt)
	return err
}
