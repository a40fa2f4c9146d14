package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/store"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
)

// demoListening adds the rumours of the typhoon — one clarified by a
// published notice, one still being checked — and the closed food
// crisis's survey, sent to the residents who were told of it, with their
// anonymous answers.
func demoListening(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, now time.Time) error {
	open, _, err := st.Crises().List(ctx, crisis.Filter{Limit: 50})
	if err != nil {
		return err
	}
	var typhoon, food crisis.Crisis
	for _, c := range open {
		switch {
		case c.Status == crisis.Closed:
			food = c
		case !c.Exercise && typhoon.ID == 0:
			typhoon = c
		}
	}
	if typhoon.ID == 0 || food.ID == 0 {
		return fmt.Errorf("demo listening: the typhoon and the food crisis are needed")
	}
	if err := demoRumours(ctx, st, actors, typhoon, now); err != nil {
		return fmt.Errorf("demo rumours: %w", err)
	}
	if err := demoSurvey(ctx, st, actors, food); err != nil {
		return fmt.Errorf("demo survey: %w", err)
	}
	return nil
}

func demoRumours(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, c crisis.Crisis, now time.Time) error {
	rs, ed := st.Rumours(), actors[authz.Editor]
	dam, err := rs.Create(ctx, ed, rumour.Input{CrisisID: c.ID, Claim: "城門水塘堤壩已崩塌，下游居民須立即撤離。The Shing Mun reservoir dam has burst; people downstream must leave now.",
		Spread: rumour.High, OwnerID: ed.UserID, FirstSeen: now.Add(-35 * time.Minute)})
	if err != nil {
		return err
	}
	for _, s := range []rumour.Sighting{
		{SeenAt: now.Add(-35 * time.Minute), Place: "Residents' chat group, District 4", Note: "Forwarded voice message, about 40 shares"},
		{SeenAt: now.Add(-25 * time.Minute), Place: "Social media", URL: "https://social.example/posts/88812"},
	} {
		if _, err := rs.AddSighting(ctx, ed, dam.ID, s, nil); err != nil {
			return err
		}
	}
	if dam, err = rs.Get(ctx, dam.ID); err != nil {
		return err
	}
	in := dam.Input()
	in.Verdict, in.Facts = rumour.False, "水務署工程師今早九時巡查，堤壩完好，水位正常。無須撤離。Water Supplies engineers inspected the dam at 09:00: it is intact and the water level is normal. Nobody needs to leave."
	if dam, err = rs.Save(ctx, ed, dam.ID, dam.Lock, in); err != nil {
		return err
	}
	cat, err := i18n.New()
	if err != nil {
		return err
	}
	t := func(lang, key string, args ...any) string { return cat.For(lang).T(key, args...) }
	_, n, err := rs.Answer(ctx, ed, dam.ID, rumour.Prefill(dam, i18n.Languages, t))
	if err != nil {
		return err
	}
	if _, err := publish(ctx, st, actors, n); err != nil {
		return err
	}
	_, err = rs.Create(ctx, ed, rumour.Input{CrisisID: c.ID, Claim: "超市明天全部關門。All supermarkets will close tomorrow.",
		Spread: rumour.Medium, FirstSeen: now.Add(-10 * time.Minute)})
	return err
}

// demoSurvey sends the food crisis's survey to twelve residents told of
// it and answers it from nine invitations.
func demoSurvey(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, food crisis.Crisis) error {
	langs := []string{"zh-Hant", "zh-Hant", "zh-Hans", "en"}
	for i := range 12 {
		if _, err := st.Subscribers().Create(ctx, authz.System(authz.SourceCLI, "demo"), subscriber.Subscriber{Channel: "email",
			Address: fmt.Sprintf("resident%02d@example.org", i+1), Language: langs[i%len(langs)], Source: subscriber.FromImport}); err != nil {
			return err
		}
	}
	// The residents were told of the crisis: its notices' fan-out, as the
	// delivery job would have run it.
	ns, _, err := st.Notices().List(ctx, notice.Filter{CrisisID: food.ID, Limit: 10})
	if err != nil {
		return err
	}
	for _, n := range ns {
		for range 100 {
			_, done, err := st.Deliveries().FanoutBatch(ctx, n.ID, 100)
			if err != nil {
				return err
			}
			if done {
				break
			}
		}
	}
	ss := st.Surveys()
	s, err := ss.ByCrisis(ctx, food.ID)
	if err != nil {
		return err
	}
	if _, _, err := ss.Send(ctx, actors[authz.Editor], s.ID); err != nil {
		return err
	}
	invites, err := st.NextSurveyInvites(ctx, s.ID, 100)
	if err != nil {
		return err
	}
	scores := [][4]int{{5, 4, 4, 5}, {4, 4, 3, 4}, {2, 3, 3, 3}, {5, 5, 5, 5}, {3, 4, 4, 4}, {4, 3, 4, 4}, {1, 2, 2, 3}, {4, 5, 4, 4}, {5, 4, 5, 4}}
	channels := []string{"sms", "email", "web", "media", "sms", "sms", "other", "web", "email"}
	texts := []string{"短訊來得很快，謝謝。", "", "Please say which schools were affected.", "", "", "希望早点通知家长。", "I heard about it from other parents first.", "", ""}
	for i, sc := range scores {
		if i >= len(invites) {
			break
		}
		answers := []survey.Answer{{Question: "timeliness", Scale: sc[0]}, {Question: "clarity", Scale: sc[1]},
			{Question: "usefulness", Scale: sc[2]}, {Question: "trust", Scale: sc[3]}, {Question: "channel", Choices: []string{channels[i]}},
			{Question: "improve", Text: texts[i]}}
		if err := ss.Answer(ctx, invites[i].Token, answers); err != nil {
			return err
		}
	}
	return nil
}
