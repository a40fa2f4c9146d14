package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/message"
	"crisisdesk/internal/store"
	"crisisdesk/internal/subscriber"
)

// deliveryParts are the channels and the engine built from the settings.
type deliveryParts struct {
	engine  *delivery.Engine
	webhook *webhook.Sender
	signup  subscriber.Signup
	// messages renders what each channel sends; the editor counts its SMS.
	messages *message.Renderer
}

// newDelivery builds the channels the settings configure and the delivery
// engine over them. E-mail needs --smtp-url and SMS --sms-format; webhooks
// need nothing.
func newDelivery(cfg config.Config, st *store.Store, cat *i18n.Catalog, chinese *hanzi.Converter, mailer *email.Sender, baseURL string,
	clk clock.Clock, log *slog.Logger, reg prometheus.Registerer) (*deliveryParts, error) {
	outcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "crisisdesk_deliveries_total",
		Help: "Delivery attempts by channel and outcome (sent, failed: to be retried, gave_up).",
	}, []string{"channel", "outcome"})
	if err := reg.Register(outcomes); err != nil {
		return nil, fmt.Errorf("delivery metrics: %w", err)
	}
	var senders []channel.Sender
	if mailer != nil {
		senders = append(senders, mailer)
	}
	if cfg.SMSFormat != "" {
		g, err := sms.New(sms.Config{Format: cfg.SMSFormat, URL: cfg.SMSURL, Auth: cfg.SMSAuth, From: cfg.SMSFrom, Body: cfg.SMSBody})
		if err != nil {
			return nil, fmt.Errorf("SMS settings: %w", err)
		}
		senders = append(senders, g)
	}
	wh := webhook.New(webhook.Options{})
	senders = append(senders, wh)
	r, err := message.New(cat)
	if err != nil {
		return nil, err
	}
	// E-mails and SMS end with the institution's name; a profile that
	// cannot be read signs with nothing rather than failing a send.
	r.SignOff = func(lang string) string {
		p, err := st.Office().Profile(context.Background())
		if err != nil {
			log.Warn("read the office profile for a sign-off", "err", err)
			return ""
		}
		return p.Name.For(lang)
	}
	r.WithChinese(chinese)
	base := strings.TrimRight(baseURL, "/")
	eng := delivery.New(delivery.Options{
		Store: st.Deliveries(), Notices: st.Notices(), Renderer: delivery.Messages{Renderer: r, Base: base, Chinese: chinese}, Senders: senders,
		Rates:   map[string]float64{channel.Email: cfg.RateEmail, channel.SMS: cfg.RateSMS, channel.Webhook: cfg.RateWebhook},
		BaseURL: base, Clock: clk, Logger: log.With("component", "delivery"),
		// A claim outlives a batch's sends with room to spare, and a dead
		// sender's claim is free again soon after its work is taken over.
		Lease: max(2*cfg.DeliveryTakeover, 10*time.Second),
		// A working sender renews its lease and heartbeat four times
		// within the takeover, so that no replica takes over live work
		// whatever --delivery-takeover says.
		Heartbeat: cfg.DeliveryTakeover / 4,
		OnPause:   func(ctx context.Context, e subscriber.Endpoint) { tellOwner(ctx, st, cat, mailer, e, log) },
		Observe:   func(ch string, s delivery.State) { outcomes.WithLabelValues(ch, string(s)).Inc() },
	})
	return &deliveryParts{engine: eng, webhook: wh, messages: r, signup: subscriber.Signup{
		Service: st.Subscribers(),
		CheckURL: func(ctx context.Context, raw string, public bool) error {
			return webhook.CheckURL(ctx, raw, public, nil)
		},
		NewSecret: webhook.NewSecret,
	}}, nil
}

// tellOwner e-mails the owner of an endpoint paused for failing a day.
func tellOwner(ctx context.Context, st *store.Store, cat *i18n.Catalog, mailer *email.Sender, e subscriber.Endpoint, log *slog.Logger) {
	if mailer == nil || e.OwnerID == 0 {
		return
	}
	u, err := st.Accounts().User(ctx, e.OwnerID)
	if err != nil || u.Email == "" {
		return
	}
	tr := cat.For(u.Language)
	if _, err := mailer.SendMail(ctx, email.Message{To: u.Email,
		Subject: tr.T("delivery.endpoint_paused_subject", "Name", e.Name),
		Text:    tr.T("delivery.endpoint_paused_text", "Name", e.Name, "URL", e.URL, "Reason", e.PausedReason)}); err != nil {
		log.Warn("could not tell the owner of a paused webhook", "webhook", e.ID, "err", err)
	}
}
