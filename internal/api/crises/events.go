package crises

import (
	"context"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"crisisdesk/internal/live"
)

// eventStream documents the crisis event stream in the OpenAPI document.
func eventStream() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {
		Description: "Server-Sent Events: each names what changed (`event: task`, `timeline`, `clock`, `level`, `status`…) " +
			"with JSON data {type, id, data}; re-read what you show. A comment line is sent every 25 seconds.",
		Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: huma.TypeString}}},
	}}
}

// crisisEvents streams a crisis's changes until the client leaves. The
// crisis is looked up first, so that an unknown one is a 404 problem, not
// an empty stream.
func (r *Room) crisisEvents(ctx context.Context, in *crisisIDInput) (*huma.StreamResponse, error) {
	if _, err := r.Crises.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	topic := live.CrisisTopic(in.ID)
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		req, w := humago.Unwrap(hctx)
		r.Live.Stream(req.Context(), w, topic)
	}}, nil
}
