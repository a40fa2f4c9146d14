package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/store"
)

// progress tells the operator what a long phase is doing.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "  … "+format+"\n", args...)
}

// measureFanout times the fan-out of one public notice to s.fanout
// subscribers (60 % e-mail, 30 % SMS, 10 % webhook).
func measureFanout(ctx context.Context, e store.Engine, s settings) (row, error) {
	dsn, drop, err := freshDB(ctx, e, s.pg)
	if err != nil {
		return row{}, err
	}
	defer drop()
	progress("%s: writing %d subscribers", e, s.fanout)
	t := time.Now()
	if err := seed(ctx, dsn, population{n: s.fanout, channel: "mixed", hook: "http://127.0.0.1:9/hook/", secret: benchSecret}); err != nil {
		return row{}, err
	}
	progress("%s: %d subscribers written in %.1f s (not timed); fan-out", e, s.fanout, time.Since(t).Seconds())
	r, err := runChild(ctx, "fanout", dsn, s.fanout, "", s.profile)
	if err != nil {
		return row{}, err
	}
	if r.Rows != s.fanout {
		return row{}, fmt.Errorf("the fan-out wrote %d delivery records for %d subscribers", r.Rows, s.fanout)
	}
	return row{engine: e, phase: "fanout", n: s.fanout, seconds: r.Seconds, rate: float64(r.Rows) / r.Seconds,
		peakMB: float64(r.HWMKB) / 1024, baseMB: float64(r.BaseKB) / 1024}, nil
}

// measureWebhooks loads the webhook receiver alone, then has crisisdesk
// deliver one notice to s.hooks webhook subscribers on it.
func measureWebhooks(ctx context.Context, e store.Engine, s settings) (row, error) {
	// The receiver alone, then a fresh one of the same kind for
	// crisisdesk, so that no straggler of the load is counted.
	h, err := startHookReceiver(s.hooks)
	if err != nil {
		return row{}, err
	}
	progress("%s: webhook receiver alone for %s", e, s.alone)
	alone, err := hookLoad(ctx, h.url, s.hookConc, s.alone)
	h.close()
	if err != nil {
		return row{}, err
	}
	if h.bad.Load() > 0 {
		return row{}, fmt.Errorf("the receiver refused the plain client's requests: %s", h.badMsg)
	}
	if h, err = startHookReceiver(s.hooks); err != nil {
		return row{}, err
	}
	defer h.close()
	dsn, drop, err := freshDB(ctx, e, s.pg)
	if err != nil {
		return row{}, err
	}
	defer drop()
	if err := seed(ctx, dsn, population{n: s.hooks, channel: channel.Webhook, hook: h.url, secret: benchSecret}); err != nil {
		return row{}, err
	}
	progress("%s: crisisdesk delivering to %d webhook subscribers", e, s.hooks)
	r, err := runChild(ctx, channel.Webhook, dsn, s.hooks, "", s.profile)
	if err != nil {
		return row{}, err
	}
	if bad := h.bad.Load(); bad > 0 {
		return row{}, fmt.Errorf("%d of %d sampled webhooks failed the checks, e.g. %s", bad, h.checked.Load(), h.badMsg)
	}
	missing, repeats := h.tally.check()
	if r.Rows != s.hooks || r.Other != 0 || missing != 0 || h.tally.out.Load() != 0 {
		return row{}, fmt.Errorf("%d sent and %d not of %d; the receiver missed %d recipients and saw %d unknown ones",
			r.Rows, r.Other, s.hooks, missing, h.tally.out.Load())
	}
	progress("%s: the receiver verified the signature and body of %d sampled webhooks", e, h.checked.Load())
	rate := float64(h.hits.Load()) / h.win.span().Seconds()
	return row{engine: e, phase: "webhook", n: s.hooks, seconds: r.Seconds, rate: rate, alone: alone,
		peakMB: float64(r.HWMKB) / 1024, baseMB: float64(r.BaseKB) / 1024, repeats: repeats}, nil
}

// measureEmail loads the SMTP server alone through crisisdesk's e-mail
// sender, then has crisisdesk deliver one notice to s.emails e-mail
// subscribers.
func measureEmail(ctx context.Context, e store.Engine, s settings) (row, error) {
	m, err := startSMTP(s.emails)
	if err != nil {
		return row{}, err
	}
	progress("%s: SMTP server alone for %s", e, s.alone)
	alone, err := mailLoad(ctx, m.url(), s.mailConc, s.alone)
	m.close()
	if err != nil {
		return row{}, err
	}
	if m, err = startSMTP(s.emails); err != nil {
		return row{}, err
	}
	defer m.close()
	dsn, drop, err := freshDB(ctx, e, s.pg)
	if err != nil {
		return row{}, err
	}
	defer drop()
	if err := seed(ctx, dsn, population{n: s.emails, channel: channel.Email}); err != nil {
		return row{}, err
	}
	progress("%s: crisisdesk delivering to %d e-mail subscribers", e, s.emails)
	r, err := runChild(ctx, channel.Email, dsn, s.emails, m.url(), s.profile)
	if err != nil {
		return row{}, err
	}
	missing, repeats := m.tally.check()
	if r.Rows != s.emails || r.Other != 0 || missing != 0 || m.tally.out.Load() != 0 {
		return row{}, fmt.Errorf("%d sent and %d not of %d; the server missed %d recipients and saw %d unknown ones",
			r.Rows, r.Other, s.emails, missing, m.tally.out.Load())
	}
	rate := float64(m.mails.Load()) / m.win.span().Seconds()
	return row{engine: e, phase: "email", n: s.emails, seconds: r.Seconds, rate: rate, alone: alone,
		peakMB: float64(r.HWMKB) / 1024, baseMB: float64(r.BaseKB) / 1024, repeats: repeats}, nil
}
