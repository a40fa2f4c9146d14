package kit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed

	"crisisdesk/internal/channel"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// half is a room whose page fails half-way through: .Data has no field
// Missing.
var half = kit.Pages{Room: "half", Templates: fstest.MapFS{
	"half.html": {Data: []byte(`{{define "title"}}Half a page{{end}}{{define "content"}}<p id="half-shown">shown first</p>{{.Data.Missing}}{{end}}`)},
}}

func newKit(t *testing.T, pages ...kit.Pages) *kit.Kit {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	k, err := kit.New(kit.Options{Catalog: cat, Sessions: &session.Manager{}, Live: live.NewBroker(), Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRenderErrorIsCleanPage(t *testing.T) {
	t.Parallel()
	k := newKit(t, half)
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Accept-Language", "en")
	w := httptest.NewRecorder()
	k.Render(w, r, http.StatusOK, "half", struct{ Other int }{})
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, "Something went wrong") || strings.Count(body, "<html") != 1 {
		t.Errorf("not one clean error page:\n%s", body)
	}
	if strings.Contains(body, `id="half-shown"`) || strings.Contains(body, "Half a page") {
		t.Error("part of the failed page leaked")
	}
}

// Template names are one namespace across the rooms: a second room
// defining a page or a partial another has is refused at start.
func TestNewRefusesDuplicateTemplates(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"the same page", fstest.MapFS{"half.html": {Data: []byte(`{{define "content"}}{{end}}`)}}, `two rooms have the page "half"`},
		{"a partial of the kit", fstest.MapFS{"partials/x.html": {Data: []byte(`{{define "pager"}}{{end}}`)}}, `template "pager" is defined by both`},
		{"a part of another page", fstest.MapFS{"other.html": {Data: []byte(`{{define "content"}}{{end}}{{define "half-part"}}{{end}}`)},
			"more.html": {Data: []byte(`{{define "half-part"}}{{end}}`)}}, `template "half-part" is defined by both`},
	}
	for _, c := range cases {
		_, err := kit.New(kit.Options{Catalog: cat, Sessions: &session.Manager{}, Live: live.NewBroker(),
			Pages: []kit.Pages{half, {Room: "dup", Templates: c.fs}}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestNewRequiresItsParts(t *testing.T) {
	t.Parallel()
	if _, err := kit.New(kit.Options{}); err == nil || !strings.Contains(err.Error(), "Options.Catalog is required") {
		t.Errorf("New without parts: %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                      "",
		"/":                     "/",
		"/desk/admin/users?q=a": "/desk/admin/users?q=a",
		"//evil.example":        "",
		"/\\evil.example":       "",
		"https://evil.example/": "",
		"javascript:alert(1)":   "",
		"admin":                 "",
		"/a\r\nLocation: x":     "",
	}
	for in, want := range cases {
		if got := kit.LocalPath(in); got != want {
			t.Errorf("kit.LocalPath(%q) = %q, want %q", in, got, want)
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
		{"empty", "/desk/admin/users", 1, 0, 1, "", ""},
		{"first of two", "/desk/admin/users?q=a", 1, kit.PerPage + 1, 2, "", "/desk/admin/users?page=2&q=a"},
		{"last of two", "/desk/admin/users?q=a&page=2&done=saved", 2, kit.PerPage + 1, 2, "/desk/admin/users?page=1&q=a", ""},
		{"past the end", "/desk/admin/users?page=9", 9, 3, 1, "/desk/admin/users?page=1", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := kit.NewPager(httptest.NewRequest(http.MethodGet, tc.url, nil), tc.page, tc.total)
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
			if got := kit.FormatTime(tt.t, tt.loc); got != tt.want {
				t.Errorf("FormatTime(%v, %v) = %q, want %q", tt.t, tt.loc, got, tt.want)
			}
		})
	}
}
func TestMaskAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ch, addr, want string
	}{
		{"e-mail", channel.Email, "alice@example.org", "a•••@example.org"},
		{"e-mail with a wide first letter", channel.Email, "陳大文@example.hk", "陳•••@example.hk"},
		{"phone", channel.SMS, "+85291234567", "+852••••••67"},
		{"short phone", channel.SMS, "+8529", "+•••"},
		{"url with a path", channel.Webhook, "https://hooks.example.org/t/secret-token?x=1", "https://hooks.example.org/•••"},
		{"url without a path", channel.Webhook, "https://hooks.example.org", "https://hooks.example.org"},
		{"erased", channel.Email, "", ""},
		{"not an e-mail address", channel.Email, "nobody", "n•••"},
	}
	for _, c := range cases {
		if got := kit.MaskAddress(c.ch, c.addr); got != c.want {
			t.Errorf("%s: MaskAddress(%q) = %q, want %q", c.name, c.addr, got, c.want)
		}
	}
}
