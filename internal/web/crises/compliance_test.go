package crises_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// The crisis room shows how each row of the communication matrix has been
// kept: a period met on time counts as on time, and the row as kept.
func TestCommunicationCompliance(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, _ := e.SignedIn("boss", authz.Commander)
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)

	res := boss.Get(room + "/fragment/clocks")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="compliance"`, "Communication plan kept")
	row := regexp.MustCompile(`<tr><td>([^<]*)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>`)
	if m := row.FindStringSubmatch(res.Body); m == nil || m[2] != "0" || m[4] != "0" {
		t.Fatalf("before any update: %v\n%s", m, res.Body)
	}
	// The release issue meets the cadence clock when it publishes; here
	// the service is called as it will.
	if err := e.Store.Crises().MeetClock(context.Background(), apptest.As(w.Commander), w.Crisis.ID, "cadence:c1"); err != nil {
		t.Fatal(err)
	}
	res = boss.Get(room + "/fragment/clocks")
	if m := row.FindStringSubmatch(res.Body); m == nil || m[2] != "1" || m[3] != "0" || m[4] != "0" {
		t.Fatalf("after one update on time: %v\n%s", m, res.Body)
	}
	apptest.WantBody(t, res, "kept")
}
