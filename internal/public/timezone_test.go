package public_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/public"
)

// A site in Hong Kong shows times as Hong Kong reads them, with the zone
// named, while datetime attributes, Atom, CAP and JSON are the same bytes
// as the UTC site's.
func TestTimeZone(t *testing.T) {
	t.Parallel()
	s := newSite(t) // the UTC site, the default
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	local, err := public.New(public.Options{Notices: s.st.Notices(), Crises: s.st.Crises(), Plans: s.st.Plans(), Catalog: cat, Office: s.st.Office(),
		Live: s.live, Signup: signup(s.st), CanSend: everyChannel, BaseURL: "https://alerts.example.org/", Clock: s.clk, Location: hk})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	local.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	get := func(base, p string) string {
		t.Helper()
		res, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		if _, err := io.Copy(&b, res.Body); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", p, res.StatusCode, err)
		}
		return b.String()
	}

	// The fixture publishes a minute apart from 08:01 UTC: the original,
	// then its correction, which the home page shows.
	if want := time.Date(2026, 11, 25, 8, 1, 0, 0, time.UTC); !s.original.PublishedAt.Equal(want) ||
		!s.correction.PublishedAt.Equal(want.Add(time.Minute)) {
		t.Fatalf("published at %v and %v, the test expects %v and a minute later", s.original.PublishedAt, s.correction.PublishedAt, want)
	}
	pages := []struct {
		path     string
		utc, loc string // the original's publication, as each site shows it
	}{
		{path("/notices/%d?lang=en", s.original.ID),
			`<time datetime="2026-11-25T08:01:00Z">2026-11-25 08:01 UTC</time>`,
			`<time datetime="2026-11-25T08:01:00Z">2026-11-25 16:01 HKT</time>`},
		{path("/crises/%d?lang=en", s.crisis.ID),
			`<time datetime="2026-11-25T08:01:00Z">2026-11-25 08:01 UTC</time>`,
			`<time datetime="2026-11-25T08:01:00Z">2026-11-25 16:01 HKT</time>`},
		{"/?lang=en",
			`<time datetime="2026-11-25T08:02:00Z">2026-11-25 08:02 UTC</time>`,
			`<time datetime="2026-11-25T08:02:00Z">2026-11-25 16:02 HKT</time>`},
	}
	timeElem := regexp.MustCompile(`<time datetime="([^"]+)">([^<]*)</time>`)
	for _, p := range pages {
		utc, loc := get(s.srv.URL, p.path), get(srv.URL, p.path)
		if !strings.Contains(utc, p.utc) {
			t.Errorf("UTC site %s lacks %s", p.path, p.utc)
		}
		if !strings.Contains(loc, p.loc) {
			t.Errorf("Hong Kong site %s lacks %s", p.path, p.loc)
		}
		// Every shown time is its datetime, in Hong Kong, named HKT.
		for _, m := range timeElem.FindAllStringSubmatch(loc, -1) {
			at, err := time.Parse(time.RFC3339, m[1])
			if err != nil || !strings.HasSuffix(m[1], "Z") {
				t.Errorf("%s: datetime %q is not UTC RFC 3339", p.path, m[1])
			} else if want, short := at.In(hk).Format("2006-01-02 15:04")+" HKT", at.In(hk).Format("15:04")+" HKT"; m[2] != want && m[2] != short {
				// "Last updated 16:05 HKT" names no date on the day itself.
				t.Errorf("%s: %q shows %q, want %q", p.path, m[1], m[2], want)
			}
		}
	}
	// The version history names its times the same way.
	if h := get(srv.URL, path("/notices/%d?lang=en", s.original.ID)); !strings.Contains(h, "2026-11-25 16:01 HKT") ||
		strings.Contains(h, " UTC<") || strings.Contains(h, "08:01 ") {
		t.Errorf("Hong Kong notice page shows a UTC time:\n%s", h)
	}

	// Machine-readable output does not depend on the zone.
	for _, p := range []string{"/feed.atom", "/cap.atom", path("/crises/%d/feed.atom", s.crisis.ID),
		path("/notices/%d/cap.xml", s.original.ID), "/api/v1/public/notices"} {
		utc, loc := get(s.srv.URL, p), get(srv.URL, p)
		if utc != loc {
			t.Errorf("%s differs in Hong Kong:\nUTC: %s\nHKT: %s", p, utc, loc)
		}
		if strings.Contains(loc, "16:01") {
			t.Errorf("%s shows a Hong Kong time:\n%s", p, loc)
		}
	}
}
