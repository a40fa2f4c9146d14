package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"crisisdesk/internal/subscriber"
)

// newWebhookSecret makes a signing secret of 32 random bytes in the
// Standard Webhooks form, "whsec_" and base64. The app may wire the
// webhook channel's own maker instead.
func newWebhookSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make webhook secret: %w", err)
	}
	return subscriber.SecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// checkWebhookSecret accepts a secret that staff typed when it is
// "whsec_" and at least 24 bytes in base64, as Standard Webhooks receivers
// expect.
func checkWebhookSecret(s string) error {
	rest, ok := strings.CutPrefix(s, subscriber.SecretPrefix)
	if !ok {
		return errors.New("a signing secret starts with " + subscriber.SecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return fmt.Errorf("a signing secret is base64 after %s: %w", subscriber.SecretPrefix, err)
	}
	if len(key) < 24 {
		return fmt.Errorf("a signing secret holds at least 24 bytes, not %d", len(key))
	}
	return nil
}
