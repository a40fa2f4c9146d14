package public_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
		for _, want := range []string{"Typhoon warning", "Typhoon &lt;b&gt;Haiyan&lt;/b&gt;", "level-orange", "Drill headline", "演練 EXERCISE", `href="/subscribe"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		for _, bad := range []string{"DRAFTSECRET", "INTERNALSECRET", path(`href="/notices/%d"`, s.original.ID)} {
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
		for _, id := range []int64{s.original.ID, s.correction.ID, s.exercise.ID, s.script.ID} {
			if !ids[path("tag:alerts.example.org,2026-01-01:notice/%d", id)] {
				t.Errorf("feed lacks notice %d: %v", id, ids)
			}
		}
		if len(f.Entries) != 4 {
			t.Errorf("%d entries, want 4", len(f.Entries))
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
		if !found[path("https://alerts.example.org/notices/%d/cap.xml", s.correction.ID)] || found[path("https://alerts.example.org/notices/%d/cap.xml", s.original.ID)] || len(idx.Entries) != 3 {
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
		if len(out.Items) != 4 {
			t.Fatalf("%d items", len(out.Items))
		}
		for _, it := range out.Items {
			if len(it.Languages) != 2 || len(it.Content) != 2 || it.Exercise != (it.ID == s.exercise.ID) {
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
