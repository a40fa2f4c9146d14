package plans_test

import (
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	admin, _ := e.SignedIn("ada", authz.Admin)
	ed, _ := e.SignedIn("ed", authz.Editor)

	res := ed.Get("/desk/catalog")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "Natural disasters", "Typhoon", "Tropical cyclone signal No. 8 or higher issued", "Commander")
	if strings.Contains(res.Body, `id="type-new"`) {
		t.Error("an editor may add types")
	}
	apptest.WantStatus(t, ed.PostForm("/desk/catalog/new", url.Values{"code": {"x"}}), http.StatusForbidden)

	res = admin.PostForm("/desk/catalog/new", url.Values{"code": {"landslide"}, "category": {"natural_disaster"}, "add": {"indicators"},
		"indicators[0].en": {"Cracks in slopes"}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `name="indicators[1].en"`, `value="Cracks in slopes"`)

	res = admin.PostForm("/desk/catalog/new", url.Values{"code": {"typhoon"}, "category": {"natural_disaster"}, "name_en": {"Again"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Another crisis type has this code.")

	res = admin.PostForm("/desk/catalog/new", url.Values{"code": {"landslide"}, "category": {"natural_disaster"},
		"name_hant": {"山泥傾瀉"}, "name_en": {"Landslide"}, "indicators[0].en": {"Cracks in slopes"}, "notify": {"commander, public-works"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	path := strings.TrimSuffix(res.Location(), "?done=created")
	page := admin.Get(path)
	apptest.WantBody(t, page, `value="山泥傾瀉"`, `value="commander, public-works"`)

	// A stale edit is refused.
	form := url.Values{"code": {"landslide"}, "category": {"natural_disaster"}, "name_en": {"Landslip"}, "version": {"1"}}
	apptest.WantStatus(t, admin.PostForm(path, form), http.StatusSeeOther)
	form.Del("csrf_token")
	res = admin.PostForm(path, form)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "Someone else changed this record")
}
