package public

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
)

// Start drops the cache whenever the broker announces a public notice or a
// change to the crises (their level and status show on "/"), and renders
// the most read documents again at once (see warm), until ctx ends or Stop
// is called. Events from other replicas reach the broker through the
// store's LISTEN/NOTIFY relay. A burst of events costs one drop and one
// render.
func (s *Site) Start(ctx context.Context) {
	if s.started {
		return
	}
	s.started = true
	ctx, s.stopping = context.WithCancel(ctx)
	pub, stopPub := s.live.Subscribe(live.PublicTopic)
	dash, stopDash := s.live.Subscribe(live.DashboardTopic)
	go func() {
		defer stopPub()
		defer stopDash()
		s.warm(ctx)
		for {
			select {
			case <-ctx.Done():
				return
			case <-pub:
			case <-dash:
			}
			drain(pub, dash)
			s.Invalidate(ctx)
		}
	}()
}

// drain takes whatever events are already waiting, so that one drop
// answers them all.
func drain(chs ...<-chan live.Event) {
	for _, ch := range chs {
		for more := true; more; {
			select {
			case <-ch:
			default:
				more = false
			}
		}
	}
}

// Stop ends what Start began.
func (s *Site) Stop() {
	if s.stopping != nil {
		s.stopping()
	}
}

// Invalidate drops every rendered page and renders the hot ones again
// before it returns, for callers that learn of a change another way.
func (s *Site) Invalidate(ctx context.Context) {
	s.cache.drop()
	s.warm(ctx)
}

// warm renders the documents a surge reads (the routes marked hot) into
// the cache, one goroutine per language, so that no reader waits for a
// render after a change. Errors are logged and left to the next reader,
// who renders again.
func (s *Site) warm(ctx context.Context) {
	var wg sync.WaitGroup
	for i, lang := range i18n.Languages {
		wg.Go(func() {
			for _, rt := range s.table() {
				switch {
				case !rt.hot:
				case rt.byLang:
					s.warmOne(ctx, rt, lang)
				case i == 0: // documents in every language, once
					s.warmOne(ctx, rt, "")
				}
			}
		})
	}
	wg.Wait()
}

func (s *Site) warmOne(ctx context.Context, rt route, lang string) {
	if ctx.Err() != nil {
		return
	}
	path := strings.TrimSuffix(rt.pattern, "{$}")
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err == nil {
		_, err = s.entry(ctx, r, cacheKey{path: path, lang: lang}, rt.render)
	}
	if err != nil && ctx.Err() == nil {
		s.log.ErrorContext(ctx, "public: warm the cache", "path", path, "lang", lang, "err", err)
	}
}
