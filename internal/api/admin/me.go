package admin

import (
	"context"

	"crisisdesk/internal/api/kit"
)

func (r *Room) getMe(ctx context.Context, _ *struct{}) (*userOutput, error) {
	return &userOutput{Body: toUser(kit.Caller(ctx).User)}, nil
}
