package subscribers

import (
	"errors"
	"strings"

	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/subscriber"
)

// checkWebhookSecret accepts a secret that staff typed when it is
// "whsec_" and a key the webhook sender can sign with (at least 24 bytes in
// base64), as Standard Webhooks receivers expect.
func checkWebhookSecret(s string) error {
	if !strings.HasPrefix(strings.TrimSpace(s), subscriber.SecretPrefix) {
		return errors.New("a signing secret starts with " + subscriber.SecretPrefix)
	}
	_, err := webhook.ParseSecret(s)
	return err
}
