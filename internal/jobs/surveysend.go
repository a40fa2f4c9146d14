package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
	"crisisdesk/internal/survey"
)

// SurveySendWorker sends a survey's invitations in batches through the
// delivery engine's channels. Each invitation is taken once (the store
// marks it sent before it goes), so a person is never invited twice; a
// failed send is recorded on the invitation.
type SurveySendWorker struct {
	river.WorkerDefaults[survey.SendArgs]
	Engine  *delivery.Engine
	Store   *store.Store
	Catalog *i18n.Catalog
	BaseURL string
	Logger  *slog.Logger
}

// surveyBatch is how many invitations one transaction takes.
const surveyBatch = 100

// Work sends every invitation not yet sent.
func (w *SurveySendWorker) Work(ctx context.Context, job *river.Job[survey.SendArgs]) error {
	s, err := w.Store.Surveys().Get(ctx, job.Args.SurveyID)
	if err != nil {
		return fmt.Errorf("survey %d: %w", job.Args.SurveyID, err)
	}
	base := strings.TrimRight(w.BaseURL, "/")
	for {
		batch, err := w.Store.NextSurveyInvites(ctx, s.ID, surveyBatch)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, in := range batch {
			link := base + "/surveys/answer?token=" + url.QueryEscape(in.Token)
			optOut := base + "/surveys/optout?token=" + url.QueryEscape(in.Token)
			title := s.Title.In(in.Subscriber.Language, i18n.Default, i18n.English)
			key := fmt.Sprintf("survey_%d_%d", s.ID, in.Subscriber.ID)
			if err := w.Engine.SendSurveyInvitation(ctx, w.Catalog, in.Subscriber, key, title, link, optOut); err != nil {
				w.Logger.Warn("survey invitation not sent", "survey", s.ID, "subscriber", in.Subscriber.ID, "err", err)
				if err := w.Store.SurveyInviteFailed(ctx, s.ID, in.Subscriber.ID, err.Error()); err != nil {
					return err
				}
			}
		}
	}
}
