package api

import (
	"context"

	"crisisdesk/internal/session"
)

func (a *API) getMe(ctx context.Context, _ *struct{}) (*userOutput, error) {
	id, _ := session.From(ctx)
	return &userOutput{Body: toUser(id.User)}, nil
}
