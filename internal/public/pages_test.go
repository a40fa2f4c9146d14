package public_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap/captest"
)

func TestPublicSite(t *testing.T) {
	t.Parallel()
	s := newSite(t)

	t.Run("home shows published public notices only", func(t *testing.T) {
		r := s.get("/", "Accept-Language", "en")
		if r.status != http.StatusOK || !strings.Contains(r.body, `<html lang="en">`) {
			t.Fatalf("status %d\n%s", r.status, r.body)
		}
		for _, want := range []string{"Typhoon warning", "Typhoon &lt;b&gt;Haiyan&lt;/b&gt;", "level-orange", `href="/subscribe"`, `href="/exercises"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		// Exercises never appear among the real crises.
		for _, bad := range []string{"DRAFTSECRET", "INTERNALSECRET", path(`href="/notices/%d"`, s.original.ID), "Drill headline", "Drill typhoon", "演練 EXERCISE"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("home shows %q", bad)
			}
		}
		tl := s.get(path("/crises/%d?lang=en", s.crisis.ID)).body
		if !strings.Contains(tl, path(`href="/notices/%d"`, s.original.ID)) || !strings.Contains(tl, "Superseded by a later notice") {
			t.Errorf("timeline lacks the superseded original:\n%s", tl)
		}
		_, css, _ := strings.Cut(r.body, `rel="stylesheet" href="`)
		css, _, _ = strings.Cut(css, `"`)
		if c := s.get(css); c.status != http.StatusOK || !strings.HasPrefix(c.header.Get("Content-Type"), "text/css") || !strings.Contains(c.header.Get("Cache-Control"), "immutable") {
			t.Errorf("stylesheet %q: %d %v", css, c.status, c.header)
		}
		if !strings.Contains(s.get(css).body, "@media print") {
			t.Error("no print stylesheet")
		}
		for _, rt := range s.pub.Routes() {
			if !rt.Public || rt.Method != http.MethodGet {
				t.Errorf("route %+v", rt)
			}
		}
	})

	t.Run("non-public notices are not found and not cached", func(t *testing.T) {
		for _, p := range []string{path("/notices/%d", s.draft.ID), path("/notices/%d", s.internal.ID), "/notices/999999", "/notices/abc",
			path("/notices/%d/cap.xml", s.draft.ID), path("/notices/%d/cap.xml", s.internal.ID), "/crises/999999", "/crises/999999/feed.atom"} {
			r := s.get(p)
			if r.status != http.StatusNotFound || r.header.Get("ETag") != "" {
				t.Errorf("%s: %d etag %q", p, r.status, r.header.Get("ETag"))
			}
			if strings.Contains(r.body, "SECRET") {
				t.Errorf("%s leaks the notice", p)
			}
		}
		for _, p := range []string{"/", "/feed.atom", "/cap.atom", "/api/v1/public/notices", path("/crises/%d", s.crisis.ID)} {
			for _, bad := range []string{"DRAFTSECRET", "INTERNALSECRET"} {
				if r := s.get(p); strings.Contains(r.body, bad) {
					t.Errorf("%s shows %s", p, bad)
				}
			}
		}
	})

	t.Run("correction shows current text and what changed", func(t *testing.T) {
		for _, id := range []int64{s.original.ID, s.correction.ID} {
			r := s.get(path("/notices/%d?lang=en", id))
			if r.status != http.StatusOK {
				t.Fatalf("%d: status %d", id, r.status)
			}
			top, _, _ := strings.Cut(r.body, `id="history"`)
			if !strings.Contains(top, "Stay indoors until signal 3.") || !strings.Contains(top, "Corrected") {
				t.Errorf("%d: current text not on top:\n%s", id, top)
			}
			for _, want := range []string{"<ins>", "until signal 3", "What changed", path(`href="/notices/%d"`, s.original.ID),
				path(`href="/notices/%d/cap.xml"`, s.correction.ID), "a factual error was corrected"} {
				if !strings.Contains(r.body, want) {
					t.Errorf("%d: page lacks %q", id, want)
				}
			}
		}
		r := s.get(path("/notices/%d", s.original.ID), "Accept-Language", "zh-TW")
		if !strings.Contains(r.body, `<html lang="zh-Hant">`) || !strings.Contains(r.body, "<ins>") || !strings.Contains(r.body, "更正") {
			t.Errorf("zh-Hant page:\n%s", r.body)
		}
		if r := s.get(path("/notices/%d", s.original.ID), "Cookie", "crisisdesk_lang=zh-Hans"); !strings.Contains(r.body, `<html lang="zh-Hans">`) {
			t.Error("language cookie ignored")
		}
	})

	t.Run("exercise is marked everywhere", func(t *testing.T) {
		ex := s.get("/exercises?lang=en")
		for _, want := range []string{"Drill headline", "Drill typhoon", "演練 EXERCISE", `href="/exercises/feed.atom"`} {
			if !strings.Contains(ex.body, want) {
				t.Errorf("exercise page lacks %q", want)
			}
		}
		if strings.Contains(ex.body, "Typhoon warning") || strings.Contains(ex.body, "Haiyan") {
			t.Error("the exercise page shows a real crisis")
		}
		xf := parseAtom(t, s.get("/exercises/feed.atom").body)
		if len(xf.Entries) != 1 || !strings.Contains(xf.Entries[0].Title, "演練 EXERCISE") || !strings.Contains(xf.Title, "演練 EXERCISE") {
			t.Errorf("exercise feed %+v", xf)
		}
		r := s.get(path("/notices/%d", s.exercise.ID))
		if !strings.Contains(r.body, "演練 EXERCISE") {
			t.Error("page lacks the exercise mark")
		}
		if r := s.get(path("/crises/%d", s.drill.ID)); !strings.Contains(r.body, "演練 EXERCISE") {
			t.Error("crisis page lacks the exercise mark")
		}
		f := parseAtom(t, s.get(path("/crises/%d/feed.atom", s.drill.ID)).body)
		if len(f.Entries) != 1 || !strings.Contains(f.Entries[0].Title, "演練 EXERCISE") || !strings.Contains(f.Title, "演練 EXERCISE") {
			t.Errorf("drill feed %+v", f)
		}
		c := s.get(path("/notices/%d/cap.xml", s.exercise.ID)).body
		if !strings.Contains(c, "<status>Exercise</status>") {
			t.Errorf("drill CAP:\n%s", c)
		}
	})

	t.Run("atom feeds", func(t *testing.T) {
		r := s.get("/feed.atom?lang=en")
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("content type %q", ct)
		}
		f := parseAtom(t, r.body)
		ids := map[string]bool{}
		for _, e := range f.Entries {
			ids[e.ID] = true
		}
		for _, id := range []int64{s.original.ID, s.correction.ID, s.script.ID} {
			if !ids[path("tag:alerts.example.org,2026-01-01:notice/%d", id)] {
				t.Errorf("feed lacks notice %d: %v", id, ids)
			}
		}
		if len(f.Entries) != 3 || ids[path("tag:alerts.example.org,2026-01-01:notice/%d", s.exercise.ID)] {
			t.Errorf("%d entries, want the 3 real ones", len(f.Entries))
		}
		cf := parseAtom(t, s.get(path("/crises/%d/feed.atom", s.crisis.ID)).body)
		if len(cf.Entries) != 2 {
			t.Errorf("crisis feed has %d entries, want 2", len(cf.Entries))
		}
		idx := parseAtom(t, s.get("/cap.atom").body)
		found := map[string]bool{}
		for _, e := range idx.Entries {
			for _, l := range e.Links {
				if l.Type == "application/cap+xml" && l.Rel == "alternate" {
					found[l.Href] = true
				}
			}
		}
		if !found[path("https://alerts.example.org/notices/%d/cap.xml", s.correction.ID)] || found[path("https://alerts.example.org/notices/%d/cap.xml", s.original.ID)] ||
			found[path("https://alerts.example.org/notices/%d/cap.xml", s.exercise.ID)] || len(idx.Entries) != 2 {
			t.Errorf("cap index: %v", found)
		}
	})

	t.Run("cap documents validate", func(t *testing.T) {
		for _, id := range []int64{s.original.ID, s.correction.ID, s.exercise.ID, s.script.ID} {
			r := s.get(path("/notices/%d/cap.xml", id))
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/cap+xml") {
				t.Fatalf("%d: %d %s\n%s", id, r.status, r.header.Get("Content-Type"), r.body)
			}
			captest.Xmllint(t, []byte(r.body))
		}
		c := s.get(path("/notices/%d/cap.xml", s.correction.ID)).body
		if !strings.Contains(c, "<msgType>Update</msgType>") || !strings.Contains(c, path("alerts.example.org-%d", s.original.ID)) {
			t.Errorf("correction CAP:\n%s", c)
		}
	})

	t.Run("json", func(t *testing.T) {
		r := s.get("/api/v1/public/notices")
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		var out struct {
			Items []struct {
				ID        int64                      `json:"id"`
				Languages []string                   `json:"languages"`
				Content   map[string]json.RawMessage `json:"content"`
				Exercise  bool                       `json:"exercise"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Items) != 3 {
			t.Fatalf("%d items, want the 3 real ones", len(out.Items))
		}
		for _, it := range out.Items {
			if len(it.Languages) != 2 || len(it.Content) != 2 || it.Exercise || it.ID == s.exercise.ID {
				t.Errorf("item %+v", it)
			}
		}
		if r := s.get("/api/v1/other"); r.status != http.StatusTeapot {
			t.Errorf("the API subtree lost its routes: %d", r.status)
		}
	})

	t.Run("script tags are inert everywhere", func(t *testing.T) {
		paths := []string{"/", path("/notices/%d", s.script.ID), "/feed.atom", "/cap.atom", path("/notices/%d/cap.xml", s.script.ID), "/api/v1/public/notices"}
		for _, lang := range languages() {
			for _, p := range paths {
				r := s.get(p+"?lang="+lang, "Accept-Encoding", "identity")
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d", p, r.status)
				}
				if strings.Contains(strings.ToLower(r.body), "<script") {
					t.Errorf("%s (%s): live <script>", p, lang)
				}
			}
			if r := s.get(path("/notices/%d?lang=%s", s.script.ID, lang)); !strings.Contains(r.body, "&lt;script&gt;") {
				t.Errorf("%s: escaped script not shown", lang)
			}
		}
	})

	t.Run("etag, 304 and gzip", func(t *testing.T) {
		r := s.get("/", "Accept-Language", "en")
		etag, lm := r.header.Get("ETag"), r.header.Get("Last-Modified")
		if etag == "" || lm == "" || r.header.Get("Cache-Control") != "public, max-age=30, stale-while-revalidate=60" {
			t.Fatalf("headers %v", r.header)
		}
		if v := r.header.Get("Vary"); v != "Accept-Encoding, Accept-Language, Cookie" {
			t.Errorf("vary %q", v)
		}
		if r2 := s.get("/", "Accept-Language", "en", "If-None-Match", etag); r2.status != http.StatusNotModified || r2.body != "" {
			t.Errorf("if-none-match: %d", r2.status)
		}
		if r2 := s.get("/", "Accept-Language", "en", "If-Modified-Since", lm); r2.status != http.StatusNotModified {
			t.Errorf("if-modified-since: %d", r2.status)
		}
		if r2 := s.get("/", "Accept-Language", "en", "If-None-Match", `"other"`); r2.status != http.StatusOK {
			t.Errorf("stale etag: %d", r2.status)
		}
		g := s.get("/", "Accept-Language", "en", "Accept-Encoding", "gzip")
		if g.header.Get("Content-Encoding") != "gzip" || g.header.Get("ETag") == etag {
			t.Fatalf("gzip headers %v", g.header)
		}
		zr, err := gzip.NewReader(strings.NewReader(g.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if string(plain) != r.body {
			t.Error("gzip body differs")
		}
		if r2 := s.get("/", "Accept-Language", "en", "Accept-Encoding", "gzip", "If-None-Match", g.header.Get("ETag")); r2.status != http.StatusNotModified {
			t.Errorf("gzip revalidation: %d", r2.status)
		}
		if r2 := s.get("/", "Accept-Language", "en", "Accept-Encoding", "gzip;q=0"); r2.header.Get("Content-Encoding") != "" {
			t.Error("gzip;q=0 got gzip")
		}
	})

	t.Run("rendered once, dropped on publish", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.pub.Start(ctx)
		defer s.pub.Stop()
		before := s.get("/", "Accept-Language", "en")
		// A change the broker does not announce stays invisible: proof the
		// page comes from the cache.
		quiet := s.newNotice(s.crisis.ID, "Quiet news", "x")
		if _, err := s.st.Notices().Submit(ctx, s.users["editor"], quiet.ID, ""); err != nil {
			t.Fatal(err)
		}
		if again := s.get("/", "Accept-Language", "en"); again.header.Get("ETag") != before.header.Get("ETag") {
			t.Error("page re-rendered without a change")
		}
		s.publish(s.newNotice(s.crisis.ID, "Fresh news", "Now."))
		deadline := time.Now().Add(2 * time.Second)
		for {
			after := s.get("/", "Accept-Language", "en")
			if strings.Contains(after.body, "Fresh news") {
				if after.header.Get("ETag") == before.header.Get("ETag") {
					t.Error("same ETag after a change")
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("new notice not visible within 2 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func languages() []string { return []string{"zh-Hant", "zh-Hans", "en"} }

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func parseAtom(t *testing.T, body string) atomFeed {
	t.Helper()
	var f atomFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("atom: %v\n%s", err, body)
	}
	return f
}

// A declared crisis stays off the public site until its first public
// notice is published or a commander chooses to show it (audited): not on
// "/", its page and feed not found.
func TestCrisisOnThePublicSiteOnlyOnceShown(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.pub.Start(ctx)
	defer s.pub.Stop()
	quiet := s.declare(s.signed, "Warehouse fire at Kwai Chung", false)
	// visible reports whether "/" lists the crisis and its page and feed
	// answer; hidden, whether none of them does.
	state := func() (visible, hidden bool) {
		t.Helper()
		home := strings.Contains(s.get("/", "Accept-Language", "en").body, "Kwai Chung")
		page := s.get(path("/crises/%d", quiet.ID)).status == http.StatusOK
		feed := s.get(path("/crises/%d/feed.atom", quiet.ID)).status == http.StatusOK
		return home && page && feed, !home && !page && !feed
	}
	hidden := func() bool { _, h := state(); return h }
	visible := func() bool { v, _ := state(); return v }
	if !hidden() {
		t.Fatal("a crisis with no public notice is on the public site")
	}

	if _, err := s.st.Crises().ShowPublicly(ctx, s.users[authz.Editor], quiet.ID); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("an editor showing a crisis: %v", err)
	}
	c, err := s.st.Crises().ShowPublicly(ctx, s.users[authz.Commander], quiet.ID)
	if err != nil || c.PublicSince.IsZero() || c.PublicBy != s.users[authz.Commander].UserID {
		t.Fatalf("show publicly: %+v %v", c, err)
	}
	if _, err := s.st.Crises().ShowPublicly(ctx, s.users[authz.Commander], quiet.ID); !fault.Is(err, fault.Conflict) {
		t.Fatalf("showing twice: %v", err)
	}
	for deadline := time.Now().Add(5 * time.Second); !visible(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a crisis shown by the commander is still not on the public site")
		}
	}
	entries, _, err := s.st.Audit().List(ctx, audit.Filter{Entity: "crisis", EntityID: strconv.FormatInt(quiet.ID, 10)})
	if err != nil || len(entries) == 0 || entries[0].Action != "crisis.show_public" || entries[0].ActorID != s.users[authz.Commander].UserID {
		t.Fatalf("audit of showing the crisis: %+v %v", entries, err)
	}

	// Another: its first public notice puts it on the site.
	other := s.declare(s.signed, "Flooding at Tai Po", false)
	if page := s.get(path("/crises/%d", other.ID)); page.status != http.StatusNotFound {
		t.Fatalf("before its first notice: %d", page.status)
	}
	s.publish(s.newNotice(other.ID, "Flood warning for Tai Po", "Move to higher ground."))
	for deadline := time.Now().Add(5 * time.Second); s.get(path("/crises/%d", other.ID)).status != http.StatusOK; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first public notice did not put the crisis on the public site")
		}
	}
	if c, err := s.st.Crises().Get(ctx, other.ID); err != nil || c.PublicSince.IsZero() || c.PublicBy != 0 {
		t.Fatalf("after the first notice: %+v %v", c, err)
	}
}
