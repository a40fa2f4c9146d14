package demo

import (
	"testing"

	"crisisdesk/internal/plan"
)

// TestDemoTemplatesAreComplete: a notice drafted from any demo template is
// ready to send (the fast-path browser tests rely on it).
func TestDemoTemplatesAreComplete(t *testing.T) {
	t.Parallel()
	for name, b := range map[string]plan.Body{"typhoon": typhoonBody(), "food": foodBody()} {
		if gaps := plan.TemplateGaps(b); len(gaps) != 0 {
			t.Errorf("%s plan: incomplete templates: %v", name, gaps)
		}
	}
}
