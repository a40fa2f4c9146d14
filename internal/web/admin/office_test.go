package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

var officePNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// An admin names the office, uploads its logo and edits the legend and
// districts on one page; bad input comes back with every problem listed
// and beside its field, the other answers kept, nothing saved; the page
// warns that residents get no confirmation without a mail server or SMS
// gateway; the public site shows the result at once.
func TestOfficePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	page := c.Get("/desk/admin/office")
	apptest.WantStatus(t, page, http.StatusOK)
	apptest.WantBody(t, page, `id="office-channels"`, "No mail server is configured", "No SMS gateway is configured", `name="legend.II.action.en"`)

	form := url.Values{"name.zh-Hant": {"保安局"}, "name.en": {"Security Bureau"}, "contact.en": {"Hotline 1823"},
		"country_code": {"999"}, "public_url": {"ftp://x"}, "districts": {"a | 甲 | 甲 | A\nbroken line"},
		"legend.I.action.en": {"Run."}, "version": {"0"}}
	res := c.Upload("/desk/admin/office", "logo", "logo.svg", []byte("<svg/>"), form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="office-errors"`, `id="country_code-error"`, `id="public_url-error"`, `id="logo-error"`,
		`id="districts-error"`, `value="Security Bureau"`, `value="Run."`, `value="999"`)
	if p, _ := e.Store.Office().Profile(context.Background()); p.Version != 0 {
		t.Fatalf("a refused form saved: %+v", p)
	}

	form.Set("country_code", "852")
	form.Set("public_url", "https://www.sb.gov.hk/")
	form.Set("districts", "")
	res = c.Upload("/desk/admin/office", "logo", "logo.png", officePNG, form)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	p, err := e.Store.Office().Profile(context.Background())
	if err != nil || p.Name.En != "Security Bureau" || p.LogoType != "image/png" || p.CountryCode != "852" || p.Legend[0].Action.En != "Run." {
		t.Fatalf("saved %+v, %v", p, err)
	}
	apptest.WantBody(t, c.Get("/desk/admin/office/logo"), string(officePNG))
	// The site drops its pages on the save's event, in the background:
	// drop them here too rather than wait.
	e.App.Public.Invalidate(context.Background())
	home := e.Browser().Get("/?lang=en")
	apptest.WantBody(t, home, "Security Bureau", "Hotline 1823", "Run.")

	// Saving without a file keeps the logo; removing it is explicit.
	form.Set("version", "1")
	apptest.WantStatus(t, c.PostForm("/desk/admin/office", form), http.StatusSeeOther)
	if p, _ := e.Store.Office().Profile(context.Background()); len(p.Logo) == 0 {
		t.Error("a save without a file dropped the logo")
	}
	form.Set("version", "2")
	form.Set("remove_logo", "on")
	apptest.WantStatus(t, c.PostForm("/desk/admin/office", form), http.StatusSeeOther)
	if p, _ := e.Store.Office().Profile(context.Background()); len(p.Logo) != 0 {
		t.Error("remove_logo kept the logo")
	}

	// Only admins.
	obs, _ := e.SignedIn("otto", authz.Commander)
	if res := obs.Get("/desk/admin/office"); res.Status != http.StatusForbidden {
		t.Errorf("commander: %d", res.Status)
	}
	if strings.Contains(obs.Get("/desk").Body, `id="nav-office"`) {
		t.Error("the menu offers a commander the office page")
	}
}
