package public_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/public"
)

// TestSimplifiedReader: notices written in Traditional Chinese and English
// reach a Simplified Chinese reader in Simplified, converted on render and
// marked as converted, on the page, in the Atom feed and in CAP; the
// Traditional reader keeps the text as written.
func TestSimplifiedReader(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	conv, err := hanzi.New("hk")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.NewGlyphs(conv.Glyphs)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := public.New(public.Options{Notices: s.st.Notices(), Crises: s.st.Crises(), Plans: s.st.Plans(), Catalog: cat, Office: s.st.Office(),
		Live: s.live, Signup: signup(s.st), CanSend: everyChannel, BaseURL: "https://alerts.example.org/", Clock: s.clk, Chinese: conv})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	pub.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	get := func(p string) string {
		t.Helper()
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		return string(b)
	}
	const written, converted = "請留在室內，直至三號信號。", "请留在室内，直至三号信号。"
	for _, tc := range []struct {
		name, path  string
		want, avoid []string
	}{
		{"page in Simplified", path("/notices/%d?lang=zh-Hans", s.original.ID),
			[]string{converted, "台风", `class="converted"`, "本文由繁体中文版本自动转换。"}, []string{written}},
		{"page in Traditional", path("/notices/%d?lang=zh-Hant", s.original.ID),
			[]string{written}, []string{converted, `class="converted"`}},
		{"home in Simplified", "/?lang=zh-Hans", []string{"台风"}, []string{"颱風"}},
		{"crisis in Simplified", path("/crises/%d?lang=zh-Hans", s.crisis.ID), []string{"台风"}, []string{"颱風"}},
		{"feed in Simplified", "/feed.atom?lang=zh-Hans",
			[]string{"更正：", converted, `xml:lang="zh-Hans"`, "本文由繁体中文版本自动转换。"}, []string{written, "更正:"}},
		{"CAP with both scripts", path("/notices/%d/cap.xml", s.correction.ID),
			[]string{"<language>zh-Hans</language>", converted, "<language>zh-Hant</language>", written}, nil},
	} {
		body := get(tc.path)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %s does not contain %q", tc.name, tc.path, w)
			}
		}
		for _, a := range tc.avoid {
			if strings.Contains(body, a) {
				t.Errorf("%s: %s contains %q", tc.name, tc.path, a)
			}
		}
	}
}
