package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
)

// usedKeys returns every catalogue key the UI can ask for: literal t "key"
// calls in templates, T("key") calls in Go, and the keys held in tables.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	tmplRe := regexp.MustCompile(`\bt\s+"([^"]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range tmplRe.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goRe := regexp.MustCompile(`\.T\("([^"]+)"[,)]|errorPageKey\([^)]*"([^"]+)"\)|key = "([^"]+)"|key := "([^"]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goRe.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k != "" {
					keys[k] = f
				}
			}
		}
	}
	for _, it := range navItems {
		keys[it.key] = "navItems"
	}
	for _, k := range flashes {
		keys[k] = "flashes"
	}
	for _, table := range []fieldKeys{userRules, userRefusals, departmentRules, departmentRefusals, passwordRules, passwordRefusals,
		typeRules, typeRefusals, planRules, planRefusals, declareRules, crisisRefusals, noticeFieldKeys} {
		for _, k := range table {
			keys[k] = "field keys"
		}
	}
	for _, r := range authz.Roles {
		keys["role."+string(r)] = "roles"
	}
	for _, l := range i18n.Languages {
		keys["language."+l] = "languages"
	}
	keys["err.invalid"] = "invalidFields"
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
	dynamic["notices.tab."] = queueTabs
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
	for k, where := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: key %q (used in %s) is missing or empty", lang, k, where)
			}
		}
	}
}

func testHandler(t *testing.T) *Handler {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// The services are never called by these tests.
	h, err := New(Options{Accounts: accountsStub{}, Audit: auditStub{}, Sessions: &session.Manager{},
		Catalog: cat, Plans: plansStub{}, Crises: crisesStub{}, Notices: noticesStub{},
		Live: live.NewBroker(), Subscribers: subscribersStub{}, Endpoints: endpointsStub{},
		Deliveries: deliveriesStub{}, Channels: sendersStub{}, Chinese: &hanzi.Converter{}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// The stubs stand in for services these tests never call.
type (
	accountsStub    struct{ account.Service }
	auditStub       struct{ audit.Service }
	plansStub       struct{ plan.Service }
	crisesStub      struct{ crisis.Service }
	noticesStub     struct{ notice.Service }
	subscribersStub struct{ subscriber.Service }
	endpointsStub   struct{ subscriber.Endpoints }
	deliveriesStub  struct{ delivery.Log }
	sendersStub     struct{ Senders }
)

func TestRenderErrorIsCleanPage(t *testing.T) {
	t.Parallel()
	h := testHandler(t)
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Accept-Language", "en")
	w := httptest.NewRecorder()
	// Executing dashboard without a user fails half-way (.User.DisplayName).
	h.render(w, r, http.StatusOK, "dashboard", nil)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, "Something went wrong") || strings.Count(body, "<html") != 1 {
		t.Errorf("not one clean error page:\n%s", body)
	}
	if strings.Contains(body, `id="crises-empty"`) || strings.Contains(body, "Dashboard") {
		t.Error("part of the failed page leaked")
	}
}

func TestNewRequiresServices(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "Options.Accounts is required") {
		t.Errorf("New without services: %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                      "",
		"/":                     "/",
		"/admin/users?q=a":      "/admin/users?q=a",
		"//evil.example":        "",
		"/\\evil.example":       "",
		"https://evil.example/": "",
		"javascript:alert(1)":   "",
		"admin":                 "",
		"/a\r\nLocation: x":     "",
	}
	for in, want := range cases {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPager(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name              string
		url               string
		page, total       int
		wantPages         int
		wantPrev, wantNex string
	}{
		{"empty", "/admin/users", 1, 0, 1, "", ""},
		{"first of two", "/admin/users?q=a", 1, perPage + 1, 2, "", "/admin/users?page=2&q=a"},
		{"last of two", "/admin/users?q=a&page=2&done=saved", 2, perPage + 1, 2, "/admin/users?page=1&q=a", ""},
		{"past the end", "/admin/users?page=9", 9, 3, 1, "/admin/users?page=1", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPager(httptest.NewRequest(http.MethodGet, tc.url, nil), tc.page, tc.total)
			if p.Pages != tc.wantPages || p.Prev != tc.wantPrev || p.Next != tc.wantNex {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	at := time.Date(2026, 11, 26, 8, 4, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"nil is UTC", at, nil, "2026-11-26 08:04 UTC"},
		{"UTC", at, time.UTC, "2026-11-26 08:04 UTC"},
		{"a time in another zone, shown in UTC", at.In(zone("Asia/Tokyo")), time.UTC, "2026-11-26 08:04 UTC"},
		{"Hong Kong", at, zone("Asia/Hong_Kong"), "2026-11-26 16:04 HKT"},
		{"Taipei", at, zone("Asia/Taipei"), "2026-11-26 16:04 CST"},
		{"numeric abbreviation", at, zone("Asia/Singapore"), "2026-11-26 16:04 UTC+08:00"},
		{"west of Greenwich, numeric", at, zone("America/Sao_Paulo"), "2026-11-26 05:04 UTC-03:00"},
		{"half hour", at, time.FixedZone("", 5*3600+1800), "2026-11-26 13:34 UTC+05:30"},
		{"summer time", time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), zone("Europe/London"), "2026-07-01 13:00 BST"},
		{"zero", time.Time{}, zone("Asia/Hong_Kong"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := formatTime(tt.t, tt.loc); got != tt.want {
				t.Errorf("formatTime(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.want)
			}
		})
	}
}
