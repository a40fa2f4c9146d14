package public_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/live"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/testenv"
)

// Every cached document, in both encodings: the gzip bytes are the
// identity bytes, each encoding has its own ETag and revalidates with it,
// HEAD answers the same headers without a body, and Vary names what the
// choice of document depends on.
func TestCachedDocumentsEncodingsAndRevalidation(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	byLang := "Accept-Encoding, Accept-Language, Cookie"
	docs := []struct {
		path string
		vary string
	}{
		{"/", byLang},
		{"/feed.atom", byLang},
		{path("/notices/%d", s.correction.ID), byLang},
		{path("/crises/%d", s.crisis.ID), byLang},
		{path("/crises/%d/feed.atom", s.crisis.ID), byLang},
		{path("/notices/%d/cap.xml", s.correction.ID), "Accept-Encoding"},
		{"/cap.atom", "Accept-Encoding"},
		{"/api/v1/public/notices", "Accept-Encoding"},
	}
	for _, d := range docs {
		t.Run(d.path, func(t *testing.T) {
			plain := s.get(d.path, "Accept-Language", "en")
			gz := s.get(d.path, "Accept-Language", "en", "Accept-Encoding", "gzip, deflate, br")
			if plain.status != 200 || gz.status != 200 || plain.header.Get("Content-Encoding") != "" || gz.header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("identity %d %v, gzip %d %v", plain.status, plain.header, gz.status, gz.header)
			}
			zr, err := gzip.NewReader(strings.NewReader(gz.body))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || string(unzipped) != plain.body {
				t.Fatalf("gzip body is not the identity body (%v)", err)
			}
			if len(gz.body) >= len(plain.body) {
				t.Errorf("gzip %d bytes, identity %d", len(gz.body), len(plain.body))
			}
			for _, r := range []response{plain, gz} {
				if r.header.Get("Vary") != d.vary || r.header.Get("Cache-Control") != "public, max-age=30, stale-while-revalidate=60" ||
					r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Last-Modified") == "" {
					t.Errorf("headers %v", r.header)
				}
			}
			etag, gzTag := plain.header.Get("ETag"), gz.header.Get("ETag")
			if etag == "" || gzTag == "" || etag == gzTag {
				t.Fatalf("etags %q and %q", etag, gzTag)
			}
			if r := s.get(d.path, "Accept-Language", "en", "If-None-Match", etag); r.status != 304 || r.body != "" || r.header.Get("ETag") != etag {
				t.Errorf("identity revalidation: %d %v", r.status, r.header)
			}
			if r := s.get(d.path, "Accept-Language", "en", "Accept-Encoding", "gzip", "If-None-Match", gzTag); r.status != 304 || r.header.Get("ETag") != gzTag {
				t.Errorf("gzip revalidation: %d %v", r.status, r.header)
			}
			if r := s.get(d.path, "Accept-Language", "en", "Accept-Encoding", "gzip", "If-None-Match", etag); r.status != 200 || r.header.Get("Content-Encoding") != "gzip" {
				t.Errorf("the identity ETag revalidated the gzip body: %d", r.status)
			}
			if r := s.get(d.path, "Accept-Language", "en", "If-Modified-Since", plain.header.Get("Last-Modified")); r.status != 304 {
				t.Errorf("if-modified-since: %d", r.status)
			}
			h := s.do(http.MethodHead, d.path, "Accept-Language", "en", "Accept-Encoding", "gzip")
			if h.status != 200 || h.body != "" || h.header.Get("Content-Length") != gz.header.Get("Content-Length") || h.header.Get("ETag") != gzTag {
				t.Errorf("HEAD: %d %v", h.status, h.header)
			}
		})
	}
}

// The language comes from ?lang=, then the cookie, then Accept-Language;
// the response that sets the cookie must not be kept by a shared cache.
func TestLanguageChoiceAndCookie(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tests := []struct {
		name      string
		path      string
		header    []string
		lang      string
		setCookie bool
	}{
		{"default", "/", nil, "zh-Hant", false},
		{"accept-language", "/", []string{"Accept-Language", "en-GB,en;q=0.9"}, "en", false},
		{"simplified", "/", []string{"Accept-Language", "zh-CN"}, "zh-Hans", false},
		{"cookie beats header", "/", []string{"Cookie", "crisisdesk_lang=en", "Accept-Language", "zh-TW"}, "en", false},
		{"bad cookie ignored", "/", []string{"Cookie", "crisisdesk_lang=xx", "Accept-Language", "en"}, "en", false},
		{"query sets no cookie", "/?lang=zh-Hans", []string{"Accept-Language", "en"}, "zh-Hans", false},
		{"query beats the cookie and keeps it", "/?lang=zh-Hans", []string{"Cookie", "crisisdesk_lang=en"}, "zh-Hans", false},
		{"query equal to cookie", "/?lang=en", []string{"Cookie", "crisisdesk_lang=en"}, "en", false},
		{"unknown query ignored", "/?lang=fr", []string{"Accept-Language", "en"}, "en", false},
		{"feed by header", "/feed.atom", []string{"Accept-Language", "en"}, "en", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.get(tt.path, tt.header...)
			if r.status != 200 || r.header.Get("Content-Language") != tt.lang {
				t.Fatalf("%d, Content-Language %q, want %q", r.status, r.header.Get("Content-Language"), tt.lang)
			}
			setCookie := r.header.Get("Set-Cookie") != ""
			private := r.header.Get("Cache-Control") == "private, no-cache"
			if setCookie != tt.setCookie || private != tt.setCookie {
				t.Errorf("Set-Cookie %q with Cache-Control %q", r.header.Get("Set-Cookie"), r.header.Get("Cache-Control"))
			}
		})
	}
	// Documents in every language set no cookie and carry no language.
	if r := s.get("/cap.atom?lang=en"); r.header.Get("Set-Cookie") != "" || r.header.Get("Content-Language") != "" {
		t.Errorf("cap index: %v", r.header)
	}
}

// One page, one cache entry: other spellings of an ID are not found.
func TestOnlyCanonicalIDsAreFound(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	id := s.correction.ID
	if r := s.get(path("/notices/%d", id)); r.status != 200 {
		t.Fatalf("canonical: %d", r.status)
	}
	for _, p := range []string{path("/notices/0%d", id), path("/notices/+%d", id), path("/notices/%d/cap.xml", id) + "x",
		path("/crises/00%d", s.crisis.ID), path("/crises/0%d/feed.atom", s.crisis.ID)} {
		if r := s.get(p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}

// A replica learns of a notice published through another replica over
// PostgreSQL's LISTEN/NOTIFY and serves it on its next request.
func TestPublishOnOtherReplicaReachesThisOne(t *testing.T) {
	t.Parallel()
	testenv.Postgres(t)
	dsn := storetest.DSN(t, store.Postgres)
	a := newSiteOn(t, dsn) // replica A: its store, broker and site
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	go a.st.ListenLive(ctx, a.live)
	a.pub.Start(ctx)
	defer a.pub.Stop()

	b, err := store.Open(ctx, dsn, store.Options{Clock: a.clk, Live: live.NewBroker(), Passwords: accounttest.WeakHashing()}) // replica B
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	other := &site{t: t, st: b, clk: a.clk, users: a.users}

	before := a.get("/", "Accept-Language", "en")
	// A's listener connects in the background: publish on B until A shows
	// a notice published after it began to listen.
	for i := 0; ; i++ {
		headline := path("Replica news %d", i)
		other.publish(other.newNotice(a.crisis.ID, headline, "From replica B."))
		seen := false
		for wait := time.Now().Add(time.Second); time.Now().Before(wait) && !seen; time.Sleep(10 * time.Millisecond) {
			seen = strings.Contains(a.get("/", "Accept-Language", "en").body, headline)
		}
		if seen {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("no notice published on replica B reached replica A")
		}
	}
	if after := a.get("/", "Accept-Language", "en"); after.header.Get("ETag") == before.header.Get("ETag") {
		t.Error("same ETag after the change")
	}
}

// The hot documents are rendered again as soon as a change drops them, so
// that the first readers after a publish find them ready.
func TestHotDocumentsRenderedAgainOnChange(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	read := func() {
		for _, lang := range languages() {
			for _, enc := range []string{"identity", "gzip"} {
				for _, p := range []string{"/", "/feed.atom", "/cap.atom", "/api/v1/public/notices"} {
					if r := s.get(p, "Accept-Language", lang, "Accept-Encoding", enc); r.status != 200 {
						t.Fatalf("%s: %d", p, r.status)
					}
				}
			}
		}
	}
	s.pub.Invalidate(ctx)
	if n := s.homeRenders.Load(); n != 3 {
		t.Fatalf("%d renders of / on invalidation, want one per language", n)
	}
	read()
	if n := s.homeRenders.Load(); n != 3 {
		t.Errorf("%d renders of /, want 3: readers rendered it again", n)
	}
	s.publish(s.newNotice(s.crisis.ID, "Warm news", "Now.")) // nothing announces it: no Start
	s.pub.Invalidate(ctx)
	if r := s.get("/", "Accept-Language", "en"); !strings.Contains(r.body, "Warm news") {
		t.Error("new notice not on the page rendered at invalidation")
	}
	read()
	if n := s.homeRenders.Load(); n != 6 {
		t.Errorf("%d renders of /, want 6", n)
	}
}
