package desk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
)

func TestDashboard(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, _ := e.SignedIn("boss", authz.Commander)

	res := boss.Get("/desk")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="active-crises"`, "Typhoon Mawar", `class="level-badge level-bg-yellow"`, "First public notice",
		`data-live="/desk/events"`, `data-left`)
	if strings.Contains(res.Body, `id="crises-empty"`) {
		t.Error("the empty state shows beside a crisis")
	}
	apptest.WantBody(t, boss.Get("/desk/fragment"), `<div id="dashboard-live"`, "Typhoon Mawar")

	// A clock's 80 % alert reaches the commanders, until marked read.
	var first crisis.Clock
	for _, k := range w.Crisis.Clocks {
		if k.Name == "first_notice" {
			first = k
		}
	}
	alerts, _, err := e.Store.AlertClock(context.Background(), first.ID, crisis.WarnStage)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("alert: %v %v", alerts, err)
	}
	res = boss.Get("/desk")
	apptest.WantBody(t, res, `id="alerts"`, "First public notice in “Typhoon Mawar”: 80 % of the time is used")
	var form = url.Values{}
	for _, a := range alerts {
		form.Add("id", fmt.Sprint(a.ID))
	}
	res = boss.PostForm("/desk/alerts/read", form)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/desk?done=alerts_read" {
		t.Errorf("marking alerts read returns to %q, want the desk", res.Location())
	}
	apptest.WantBody(t, boss.Get(res.Location()), "Marked as read.")
	if strings.Contains(boss.Get("/desk").Body, `id="alerts"`) {
		t.Error("read alerts still show")
	}
}

func TestDashboardFlagsLapsedPlans(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	e := apptest.New(t, apptest.Options{Clock: clk})
	w := e.World()
	// Thirteen months on, the plan's yearly review is overdue.
	clk.Set(time.Now().AddDate(1, 1, 0))
	c, _ := e.SignedIn("watcher", authz.Observer)
	res := c.Get("/desk")
	apptest.WantBody(t, res, `id="plans-attention"`, "Typhoon plan", "Review overdue")
	apptest.WantBody(t, c.Get("/desk/plans"), `class="lapsed"`, "Review overdue")
	apptest.WantBody(t, c.Get(fmt.Sprintf("/desk/plans/%d", w.Plan.ID)), `id="plan-lapsed"`)
}
