package repotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "crisisdesk/internal/"

// domain lists the packages of plain Go: rules and types, no adapters.
// A wave-2 domain joins the list when it lands.
var domain = []string{
	"account", "authz", "audit", "fault", "clock", "catalog", "medium",
	"plan", "crisis", "notice", "subscriber",
	"drill", "expert", "team", "resource", "risk", "feedback", "survey", "kpi", "meeting",
}

// surfaces serve people and programs over HTTP.
var surfaces = []string{"web", "api", "public", "server", "fastpath"}

// forbiddenForDomain are imports (direct or not) a domain package must not
// have: SQL drivers and database/sql, net/http, River, and crisisdesk's
// adapters and surfaces.
var forbiddenForDomain = []string{
	"database/sql", "net/http", "github.com/riverqueue/", "modernc.org/sqlite", "github.com/jackc/",
	module + "store", module + "jobs", module + "delivery", module + "channel", module + "app", module + "cli",
}

// forbiddenForSurface: a surface speaks to the domain's service
// interfaces, never to the store or its drivers.
var forbiddenForSurface = []string{
	module + "store", "github.com/riverqueue/", "modernc.org/sqlite", "github.com/jackc/",
}

type listed struct {
	ImportPath string
	Deps       []string
}

// packages lists every package of the module with all it imports.
func packages(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Deps", "crisisdesk/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; is this the module root?", len(pkgs))
	}
	return pkgs
}

// within reports whether pkg is one of names or below one of them.
func within(pkg string, names []string) bool {
	for _, n := range names {
		if pkg == module+n || strings.HasPrefix(pkg, module+n+"/") {
			return true
		}
	}
	return false
}

func matches(dep string, forbidden []string) bool {
	for _, f := range forbidden {
		if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
			return true
		}
	}
	return false
}

func TestImportsPointOneWay(t *testing.T) {
	t.Parallel()
	checked := map[string]bool{}
	for _, p := range packages(t) {
		var forbidden []string
		var kind string
		switch {
		case within(p.ImportPath, domain):
			forbidden, kind = forbiddenForDomain, "domain"
		case within(p.ImportPath, surfaces):
			forbidden, kind = forbiddenForSurface, "surface"
		default:
			continue
		}
		checked[kind] = true
		for _, d := range p.Deps {
			if matches(d, forbidden) {
				t.Errorf("%s package %s imports %s", kind, p.ImportPath, d)
			}
		}
	}
	if !checked["domain"] || !checked["surface"] {
		t.Fatalf("checked %v: the package lists no longer match the tree", checked)
	}
}

// The rule itself: it must catch what it is meant to catch.
func TestForbiddenMatches(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dep       string
		forbidden []string
		want      bool
	}{
		{"net/http", forbiddenForDomain, true},
		{"net/http/httptrace", forbiddenForDomain, true},
		{"net/url", forbiddenForDomain, false},
		{"database/sql", forbiddenForDomain, true},
		{"database/sql/driver", forbiddenForDomain, true},
		{"github.com/riverqueue/river", forbiddenForDomain, true},
		{"crisisdesk/internal/store", forbiddenForSurface, true},
		{"crisisdesk/internal/store/storetest", forbiddenForSurface, true},
		{"crisisdesk/internal/storefront", forbiddenForSurface, false},
		{"crisisdesk/internal/channel/email", forbiddenForDomain, true},
		{"crisisdesk/internal/medium", forbiddenForDomain, false},
	} {
		if got := matches(c.dep, c.forbidden); got != c.want {
			t.Errorf("matches(%q) = %v, want %v", c.dep, got, c.want)
		}
	}
}

// testKits are packages that exist for tests. Production code — any
// package not among them — must not import them: that is how a test-only
// option (accounttest's weak password hashing) stays one production
// cannot select.
var testKits = []string{"account/accounttest", "store/storetest", "app/apptest", "oidctest", "testenv",
	"channel/channeltest", "feed/cap/captest", "fastpath/fastpathtest"}

func TestProductionImportsNoTestKit(t *testing.T) {
	t.Parallel()
	for _, p := range packages(t) {
		if within(p.ImportPath, testKits) || strings.HasPrefix(p.ImportPath, "crisisdesk/e2e") {
			continue
		}
		for _, d := range p.Deps {
			if within(d, testKits) {
				t.Errorf("%s imports the test kit %s", p.ImportPath, d)
			}
		}
	}
}
