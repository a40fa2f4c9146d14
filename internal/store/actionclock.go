package store

import (
	"context"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/report"
)

// startActionClock starts the clock that alerts an action's owner when it
// falls due.
func (tx *Tx) startActionClock(ctx context.Context, x action.Action) error {
	return nil
}

// meetActionClock stops an action's clock once it is done.
func (tx *Tx) meetActionClock(ctx context.Context, x action.Action) error {
	return nil
}

// startReportClock starts the clock for submitting report id by due.
func (tx *Tx) startReportClock(ctx context.Context, id int64, p report.Period, due time.Time) error {
	return nil
}

// meetReportClock stops report id's clock once it is submitted.
func (tx *Tx) meetReportClock(ctx context.Context, id int64) error {
	return nil
}
