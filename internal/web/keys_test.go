package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/subscriber"
)

var (
	// templateKey is a literal t "key" in a template.
	templateKey = regexp.MustCompile(`\bt\s+"([^"]+)"`)
	// goKey is a key in Go: T("key"), ErrorPageKey(…, "key"), a key chosen
	// in a switch, an entry of a table of field keys or confirmations,
	// and a menu item.
	goKey = regexp.MustCompile(`\.T\("([^"]+)"[,)]|ErrorPageKey\([^)]*"([^"]+)"\)|key = "([^"]+)"|key := "([^"]+)"` +
		`|"[^"\n]*"\s*:\s*"([a-z_]+(?:\.[a-z0-9_]+)+)"|Key:\s*"([^"]+)"`)
)

// usedKeys returns every catalogue key the staff UI can ask for, in the
// kit and every room: literal keys in templates and Go, the keys held in
// tables, and the keys templates build from domain values.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") {
			return err
		}
		var re *regexp.Regexp
		switch filepath.Ext(p) {
		case ".html":
			re = templateKey
		case ".go":
			re = goKey
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k != "" {
					keys[k] = p
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range authz.Roles {
		keys["role."+string(r)] = "roles"
	}
	for _, l := range i18n.Languages {
		keys["language."+l] = "languages"
	}
	keys["err.invalid"] = "kit.InvalidFields"
	// Keys the templates build from values: t (printf "phase.%s" .Phase).
	dynamic := map[string][]string{"audience.": append([]string{string(plan.Internal)}, plan.CommAudiences...)}
	for _, c := range catalog.Categories {
		dynamic["category."] = append(dynamic["category."], string(c))
	}
	for _, l := range catalog.Levels {
		dynamic["level.colour."] = append(dynamic["level.colour."], l.Colour())
	}
	for _, ph := range plan.Phases {
		dynamic["phase."] = append(dynamic["phase."], string(ph))
	}
	for _, st := range []plan.Status{plan.Draft, plan.Submitted, plan.Reviewed, plan.Approved, plan.Superseded} {
		dynamic["plan.status."] = append(dynamic["plan.status."], string(st))
	}
	for _, st := range []crisis.Status{crisis.Declared, crisis.Active, crisis.Recovering, crisis.Closed} {
		dynamic["crisis.status."] = append(dynamic["crisis.status."], string(st))
	}
	for _, st := range []crisis.ClockState{crisis.Pending, crisis.Met, crisis.Overdue} {
		dynamic["clock.state."] = append(dynamic["clock.state."], string(st))
	}
	dynamic["signature."] = []string{"submit", "review", "approve", "return"}
	for _, k := range notice.Kinds {
		dynamic["notice.kind."] = append(dynamic["notice.kind."], string(k))
	}
	for _, a := range notice.Audiences {
		dynamic["notice.audience."] = append(dynamic["notice.audience."], string(a))
	}
	for _, st := range notice.Statuses {
		dynamic["notice.status."] = append(dynamic["notice.status."], string(st))
	}
	dynamic["notice.step."] = []string{"submit", "approve", "return", "publish", "fast_path", "review_after", "edit"}
	dynamic["notices.tab."] = []string{"submitted", "approved", "review", "draft"} // the notice queue's tabs
	// The delivery pages: t (printf "deliveries.channel.%s" .Channel).
	dynamic["deliveries.channel."] = append([]string{channel.App}, channel.Names...)
	for _, s := range delivery.States {
		dynamic["deliveries.state."] = append(dynamic["deliveries.state."], string(s))
	}
	for _, s := range subscriber.Statuses {
		dynamic["subscribers.status."] = append(dynamic["subscribers.status."], string(s))
	}
	for _, s := range []subscriber.Source{subscriber.FromPublic, subscriber.FromImport, subscriber.FromStaff} {
		dynamic["subscribers.source."] = append(dynamic["subscribers.source."], string(s))
	}
	for _, s := range []subscriber.EndpointStatus{subscriber.EndpointActive, subscriber.EndpointPaused} {
		dynamic["webhooks.status."] = append(dynamic["webhooks.status."], string(s))
	}
	dynamic["webhooks.audience."] = subscriber.EndpointAudiences
	// The drill pages: kinds, states, history, ratings, injects.
	for _, k := range drill.Kinds {
		dynamic["drill.kind."] = append(dynamic["drill.kind."], string(k))
	}
	for _, s := range drill.States {
		dynamic["drill.state."] = append(dynamic["drill.state."], string(s))
	}
	for _, r := range drill.Ratings {
		dynamic["drill.rating."] = append(dynamic["drill.rating."], string(r))
	}
	dynamic["drill.step."] = []string{"plan", "unsign", "sign_safety", "start", "end", "safety_stop", "evaluate", "close",
		"pause", "resume", "report_approve"}
	dynamic["drill.inject_state."] = []string{string(drill.InjectPending), string(drill.InjectDelivered), string(drill.InjectSkipped)}
	dynamic["drill.channel."] = drill.InjectChannels
	dynamic["drill."] = []string{"participants", "observers", "evaluators"}
	dynamic["drill.link."] = drill.LinkKinds
	dynamic["drill.action_state."] = []string{string(drill.ActionOpen), string(drill.ActionDone), string(drill.ActionVerified)}
	// The evaluation pages: figures, statistics, series, library kinds.
	for _, k := range kpi.Keys {
		dynamic["kpi."] = append(dynamic["kpi."], string(k))
	}
	for _, s := range kpi.Statistics {
		dynamic["evaluation.statistic."] = append(dynamic["evaluation.statistic."], string(s))
	}
	dynamic["evaluation.series."] = []string{string(kpi.Real), string(kpi.Exercise)}
	for _, k := range lessons.Kinds {
		dynamic["lessons.kind."] = append(dynamic["lessons.kind."], string(k))
	}
	dynamic["coverage.gap."] = []string{string(kpi.GapNoPlan), string(kpi.GapHighRiskNoPlan), string(kpi.GapPlanReviewDue),
		string(kpi.GapNotDrilled), string(kpi.GapActionsOverdue)}
	dynamic["evaluation.review.state."] = []string{"met", "late", "missed", "cancelled"}
	dynamic["evaluation.review.correction."] = []string{string(notice.Factual), string(notice.Wording), string(notice.NewInformation)}
	for prefix, values := range dynamic {
		for _, v := range values {
			keys[prefix+v] = "templates (built from values)"
		}
	}
	return keys
}

func TestEveryUsedKeyIsTranslated(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	keys := usedKeys(t)
	if len(keys) < 50 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	// The scan must reach into the kit and the tables.
	for _, k := range []string{"error.404.title", "pager.next", "flash.saved", "err.user_name_taken", "nav.dashboard", "error.413.upload"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("the scan misses %q", k)
		}
	}
	for k, where := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: key %q (used in %s) is missing or empty", lang, k, where)
			}
		}
	}
}
