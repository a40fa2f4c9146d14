package subscribers

import (
	"testing"

	"crisisdesk/internal/channel/webhook"
)

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
