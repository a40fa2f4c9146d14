package store

import (
	"context"

	"crisisdesk/internal/action"
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
