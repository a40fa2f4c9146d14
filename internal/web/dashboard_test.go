package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
)

func TestDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	boss, _ := e.signedIn("boss", authz.Commander)

	res := boss.get("/desk")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="active-crises"`, "Typhoon Mawar", `class="level-badge level-bg-yellow"`, "First public notice",
		`data-live="/desk/events"`, `data-left`)
	if strings.Contains(res.Body, `id="crises-empty"`) {
		t.Error("the empty state shows beside a crisis")
	}
	wantBody(t, boss.get("/desk/fragment"), `<div id="dashboard-live"`, "Typhoon Mawar")

	// A clock's 80 % alert reaches the commanders, until marked read.
	var first crisis.Clock
	for _, k := range w.crisis.Clocks {
		if k.Name == "first_notice" {
			first = k
		}
	}
	alerts, _, err := e.st.AlertClock(context.Background(), first.ID, crisis.WarnStage)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("alert: %v %v", alerts, err)
	}
	res = boss.get("/desk")
	wantBody(t, res, `id="alerts"`, "First public notice in “Typhoon Mawar”: 80 % of the time is used")
	var form = url.Values{}
	for _, a := range alerts {
		form.Add("id", fmt.Sprint(a.ID))
	}
	res = boss.post("/alerts/read", form)
	wantStatus(t, res, http.StatusSeeOther)
	if strings.Contains(boss.get("/desk").Body, `id="alerts"`) {
		t.Error("read alerts still show")
	}
}

func TestDashboardFlagsLapsedPlans(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, clock.NewFake(time.Now().AddDate(1, 1, 0)))
	w := e.world()
	c, _ := e.signedIn("watcher", authz.Observer)
	res := c.get("/desk")
	wantBody(t, res, `id="plans-attention"`, "Typhoon plan", "Review overdue")
	wantBody(t, c.get("/plans"), `class="lapsed"`, "Review overdue")
	wantBody(t, c.get(fmt.Sprintf("/plans/%d", w.plan.ID)), `id="plan-lapsed"`)
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin, _ := e.signedIn("ada", authz.Admin)
	ed, _ := e.signedIn("ed", authz.Editor)

	res := ed.get("/catalog")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "Natural disasters", "Typhoon", "Tropical cyclone signal No. 8 or higher issued", "Commander")
	if strings.Contains(res.Body, `id="type-new"`) {
		t.Error("an editor may add types")
	}
	wantStatus(t, ed.post("/catalog/new", url.Values{"code": {"x"}}), http.StatusForbidden)

	res = admin.post("/catalog/new", url.Values{"code": {"landslide"}, "category": {"natural_disaster"}, "add": {"indicators"},
		"indicators[0].en": {"Cracks in slopes"}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `name="indicators[1].en"`, `value="Cracks in slopes"`)

	res = admin.post("/catalog/new", url.Values{"code": {"typhoon"}, "category": {"natural_disaster"}, "name_en": {"Again"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Another crisis type has this code.")

	res = admin.post("/catalog/new", url.Values{"code": {"landslide"}, "category": {"natural_disaster"},
		"name_hant": {"山泥傾瀉"}, "name_en": {"Landslide"}, "indicators[0].en": {"Cracks in slopes"}, "notify": {"commander, public-works"}})
	wantStatus(t, res, http.StatusSeeOther)
	path := strings.TrimSuffix(res.location(), "?done=created")
	page := admin.get(path)
	wantBody(t, page, `value="山泥傾瀉"`, `value="commander, public-works"`)

	// A stale edit is refused.
	form := url.Values{"code": {"landslide"}, "category": {"natural_disaster"}, "name_en": {"Landslip"}, "version": {"1"}}
	wantStatus(t, admin.post(path, form), http.StatusSeeOther)
	form.Del("csrf_token")
	res = admin.post(path, form)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "Someone else changed this record")
}
