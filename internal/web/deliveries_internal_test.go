package web

import (
	"testing"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/subscriber"
)

// The delivery pages build some keys from values (t (printf
// "deliveries.channel.%s" .Channel)) and keep others in tables, which the
// scan of literal keys cannot see: each must exist in every language.
func TestDeliveryPageKeysAreTranslated(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, ch := range append([]string{channel.App}, channel.Names...) {
		keys = append(keys, "deliveries.channel."+ch)
	}
	for _, s := range delivery.States {
		keys = append(keys, "deliveries.state."+string(s))
	}
	for _, s := range subscriber.Statuses {
		keys = append(keys, "subscribers.status."+string(s))
	}
	for _, s := range []subscriber.Source{subscriber.FromPublic, subscriber.FromImport, subscriber.FromStaff} {
		keys = append(keys, "subscribers.source."+string(s))
	}
	for _, s := range []subscriber.EndpointStatus{subscriber.EndpointActive, subscriber.EndpointPaused} {
		keys = append(keys, "webhooks.status."+string(s))
	}
	for _, a := range subscriber.EndpointAudiences {
		keys = append(keys, "webhooks.audience."+a)
	}
	for _, k := range webhookRules {
		keys = append(keys, k)
	}
	for _, k := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: key %q is missing or empty", lang, k)
			}
		}
	}
}

func TestMaskAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ch, addr, want string
	}{
		{"e-mail", channel.Email, "alice@example.org", "a•••@example.org"},
		{"e-mail with a wide first letter", channel.Email, "陳大文@example.hk", "陳•••@example.hk"},
		{"phone", channel.SMS, "+85291234567", "+852••••••67"},
		{"short phone", channel.SMS, "+8529", "+•••"},
		{"url with a path", channel.Webhook, "https://hooks.example.org/t/secret-token?x=1", "https://hooks.example.org/•••"},
		{"url without a path", channel.Webhook, "https://hooks.example.org", "https://hooks.example.org"},
		{"erased", channel.Email, "", ""},
		{"not an e-mail address", channel.Email, "nobody", "n•••"},
	}
	for _, c := range cases {
		if got := maskAddress(c.ch, c.addr); got != c.want {
			t.Errorf("%s: maskAddress(%q) = %q, want %q", c.name, c.addr, got, c.want)
		}
	}
}

func TestWebhookSecrets(t *testing.T) {
	t.Parallel()
	s, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkWebhookSecret(s); err != nil {
		t.Errorf("a made secret %q is refused: %v", s, err)
	}
	if other, _ := webhook.NewSecret(); other == s {
		t.Error("two made secrets are equal")
	}
	for _, bad := range []string{"", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "whsec_", "whsec_not base64!", "whsec_c2hvcnQ="} {
		if checkWebhookSecret(bad) == nil {
			t.Errorf("secret %q is accepted", bad)
		}
	}
}
