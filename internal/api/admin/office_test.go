package admin_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
)

// PUT /api/v1/office stores the profile for admins only, names the field
// of bad input in a problem and saves nothing then, and refuses a stale
// version.
func TestOfficeAPI(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	png := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	good := `{"name":{"en":"Security Bureau","zh-Hant":"保安局"},"contact":{"en":"Hotline 1823"},"country_code":"852","logo":"` + png + `","version":0}`
	cases := []struct {
		name, user, body string
		status           int
		want             string
	}{
		{"observer", "observer", good, http.StatusForbidden, ""},
		{"unknown country", "admin", strings.Replace(good, `"852"`, `"999"`, 1), http.StatusUnprocessableEntity, "country_code"},
		{"logo not an image", "admin", strings.Replace(good, png, base64.StdEncoding.EncodeToString([]byte("<svg/>")), 1), http.StatusUnprocessableEntity, "logo"},
		{"admin", "admin", good, http.StatusOK, `"logo_type":"image/png"`},
		{"stale", "admin", good, http.StatusConflict, ""},
	}
	for _, c := range cases {
		w := e.Do(c.user, "PUT", "/api/v1/office", c.body)
		if w.Status != c.status || !strings.Contains(w.Body, c.want) {
			t.Errorf("%s: %d %s", c.name, w.Status, w.Body)
		}
	}
	w := e.Do("editor", "GET", "/api/v1/office", "")
	if w.Status != http.StatusOK || !strings.Contains(w.Body, `"Security Bureau"`) || !strings.Contains(w.Body, `"version":1`) {
		t.Errorf("get: %d %s", w.Status, w.Body)
	}
}
