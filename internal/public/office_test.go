package public_test

import (
	"context"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/office"
)

var logoPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// Every page says who speaks, in the reader's language; the home page
// opens with the count of warnings in force and the time of the last
// change, and explains the levels in the office's words where it wrote
// them; the feeds and CAP name the institution.
func TestWhoSpeaks(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	p, err := s.st.Office().Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Before the office names itself, the generic name and the default
	// legend; no logo.
	if home := s.get("/?lang=en"); !strings.Contains(home.body, `<a class="brand" href="/">Public information</a>`) ||
		!strings.Contains(home.body, "Extremely serious") {
		t.Fatalf("unnamed office's home:\n%s", home.body)
	}
	if r := s.get("/office/logo"); r.status != 404 {
		t.Errorf("logo without one: %d", r.status)
	}

	p.Name = catalog.Text{ZhHant: "保安局", ZhHans: "保安局（简）", En: "Security Bureau"}
	p.Contact = catalog.Text{En: "Hotline 1823", ZhHant: "熱線 1823"}
	p.PublicURL = "https://www.sb.gov.hk/"
	p.Logo = logoPNG
	p.Legend[1].Action = catalog.Text{En: "Go home early."}
	if _, err := s.st.Office().Save(ctx, s.users[authz.Admin], p); err != nil {
		t.Fatal(err)
	}
	s.pub.Invalidate(ctx)

	cases := []struct {
		lang, name, status, updated, contact string
	}{
		{"en", "Security Bureau", "2 active warnings", "Last updated", "Hotline 1823"},
		{"zh-Hant", "保安局", "2 項生效中的警告", "最後更新", "熱線 1823"},
		{"zh-Hans", "保安局（简）", "2 项生效中的警告", "最后更新", "熱線 1823"},
	}
	for _, c := range cases {
		home := s.get("/?lang=" + c.lang).body
		for _, want := range []string{
			"<title>" + c.name + "</title>",
			`<img src="/office/logo?v=1" alt="" height="32">` + c.name + "</a>",
			`<h1 id="status">` + c.status + "</h1>",
			c.updated + ` <time datetime="2026-11-25T08:0`,
			c.contact, `<a href="https://www.sb.gov.hk/">`,
		} {
			if !strings.Contains(home, want) {
				t.Errorf("%s home lacks %q:\n%s", c.lang, want, home)
			}
		}
		if n := strings.Count(home, "<h1"); n != 1 {
			t.Errorf("%s home has %d h1", c.lang, n)
		}
		notice := s.get(path("/notices/%d?lang=%s", s.correction.ID, c.lang)).body
		if !strings.Contains(notice, " · "+c.name+"</title>") {
			t.Errorf("%s notice page does not name the office:\n%s", c.lang, notice)
		}
		if feed := s.get("/feed.atom?lang=" + c.lang).body; !strings.Contains(feed, "<name>"+c.name+"</name>") {
			t.Errorf("%s feed author:\n%s", c.lang, feed)
		}
	}
	if home := s.get("/?lang=en").body; !strings.Contains(home, "Go home early.") || !strings.Contains(home, "Extremely serious") {
		t.Errorf("legend keeps neither the office's text nor the default:\n%s", home)
	}
	logo := s.get("/office/logo?v=1")
	if logo.status != 200 || logo.header.Get("Content-Type") != "image/png" || logo.body != string(logoPNG) {
		t.Errorf("logo: %d %q", logo.status, logo.header.Get("Content-Type"))
	}
	capDoc := s.get(path("/notices/%d/cap.xml", s.correction.ID)).body
	if !strings.Contains(capDoc, "<senderName>Security Bureau</senderName>") || !strings.Contains(capDoc, "<senderName>保安局</senderName>") {
		t.Errorf("CAP senderName:\n%s", capDoc)
	}
	_ = office.MaxLogo
}

// A correction reads as two labelled lines, the original and the
// corrected, in the reader's language; the changed words are marked with
// more than colour or strike-through and named for screen readers.
func TestCorrectionReadsAsTwoLines(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	cases := []struct {
		lang, before, after string
		removedOrAdded      string
	}{
		{"zh-Hant", `<span class="diff-label">原文</span> <span lang="zh-Hant">請留在室內`, `<span class="diff-label">更正</span> <span lang="zh-Hant">請留在室內`, `<ins><span class="vh">加入：</span>`},
		{"en", `<span class="diff-label">Before</span> <span lang="en">Stay indoors.`, `<span class="diff-label">After</span> <span lang="en">Stay indoors`, `<ins><span class="vh">added: </span>`},
	}
	for _, c := range cases {
		page := s.get(path("/notices/%d?lang=%s", s.correction.ID, c.lang)).body
		for _, want := range []string{c.before, c.after, c.removedOrAdded} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: no %q in\n%s", c.lang, want, page)
			}
		}
		before := page[strings.Index(page, `<p class="before">`):]
		before = before[:strings.Index(before, "</p>")]
		if strings.Contains(before, "<ins>") {
			t.Errorf("%s: the original line shows added words: %s", c.lang, before)
		}
	}
}

// A notice with a CAP area shows it as an inline SVG map with its
// description: no script, nothing fetched from elsewhere, and the page
// with its map stays within 20 KB gzip.
func TestNoticeMap(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, lang := range []string{"zh-Hant", "zh-Hans", "en"} {
		r := s.get(path("/notices/%d?lang=%s", s.correction.ID, lang))
		page := r.body
		for _, want := range []string{`<figure class="area-map">`, `role="img" aria-labelledby="map-title"`, `<path d="M`, "Harbour district</span></figcaption>", " km</text>"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: no %q in\n%s", lang, want, page)
			}
		}
		if strings.Contains(page, "<script") || strings.Count(page, "http") != strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`)+strings.Count(page, "https://alerts.example.org") {
			t.Errorf("%s: the map page loads something:\n%s", lang, page)
		}
		gz := s.get(path("/notices/%d?lang=%s", s.correction.ID, lang), "Accept-Encoding", "gzip")
		if gz.header.Get("Content-Encoding") != "gzip" || len(gz.body) > 20<<10 {
			t.Errorf("%s: %d bytes gzip (%q)", lang, len(gz.body), gz.header.Get("Content-Encoding"))
		}
	}
	// A description with markup is text in the map's caption.
	if page := s.get(path("/notices/%d?lang=en", s.script.ID)).body; strings.Contains(page, "<script>alert") {
		t.Error("the area description is not escaped")
	}
}
