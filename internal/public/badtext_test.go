package public_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/public"
)

// TestStoredControlCharactersStillPublish stores a published notice with a
// vertical tab, a NUL and an escape in its text straight into the table, as
// a database from before text was checked holds it, and checks that its
// CAP document, the CAP index, the Atom feed and its page still answer 200
// with well-formed XML: no public document ever fails because of what a
// notice says.
func TestStoredControlCharactersStillPublish(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	n := s.publish(s.newNotice(s.crisis.ID, "Stored before the rule", "Old text."))
	var contents string
	db := s.st.Writer()
	if err := db.QueryRowContext(ctx, `SELECT contents FROM notices WHERE id = $1`, n.ID).Scan(&contents); err != nil {
		t.Fatal(err)
	}
	contents = strings.Replace(contents, `"Stored before the rule"`, `"Stored\u000bbefore\u0000 the rule"`, 1)
	contents = strings.Replace(contents, `"Old text."`, `"Old\u001b[1m text.\r\nNext line."`, 1)
	if _, err := db.ExecContext(ctx, `UPDATE notices SET contents = $1, cap = replace(cap, '"Typhoon"', '"Typh\u0007oon"') WHERE id = $2`, contents, n.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.st.Notices().Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if en := got.Content("en"); en == nil || !strings.Contains(en.Headline, "\v") || !strings.Contains(got.CAP.Event, "\a") {
		t.Fatalf("the notice was not damaged: %+v", got)
	}

	// A site of its own, so that nothing rendered before the damage is
	// served from memory.
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := public.New(public.Options{Notices: s.st.Notices(), Crises: s.st.Crises(), Plans: s.st.Plans(), Catalog: cat, Office: s.st.Office(),
		Live: s.live, Signup: signup(s.st), CanSend: everyChannel, BaseURL: "https://alerts.example.org/", Clock: s.clk})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	pub.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	fetch := func(p string) string {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", p, res.StatusCode, b)
		}
		return string(b)
	}

	doc := fetch(path("/notices/%d/cap.xml", n.ID))
	a, err := cap.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("cap.xml does not parse: %v\n%s", err, doc)
	}
	var en *cap.Info
	for i := range a.Info {
		if a.Info[i].Language == "en" {
			en = &a.Info[i]
		}
	}
	if en == nil || en.Headline != "Stored\nbefore the rule" || en.Description != "Old[1m text.\nNext line." || en.Event != "Typhoon" {
		t.Errorf("cap.xml info = %+v", en)
	}
	for _, p := range []string{"/cap.atom", "/feed.atom?lang=en", path("/crises/%d/feed.atom", s.crisis.ID)} {
		body := fetch(p)
		f := parseAtom(t, body)
		found := false
		for _, e := range f.Entries {
			if strings.HasSuffix(e.ID, path("notice/%d", n.ID)) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no entry for the notice:\n%s", p, body)
		}
		if err := xml.Unmarshal([]byte(body), new(any)); err != nil {
			t.Errorf("%s is not well-formed: %v", p, err)
		}
	}
	if page := fetch(path("/notices/%d?lang=en", n.ID)); !strings.Contains(page, "Stored") {
		t.Errorf("the notice page does not show the notice")
	}
}
