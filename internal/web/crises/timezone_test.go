package crises_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/config"
	"crisisdesk/internal/crisis"
)

// timeElem is a <time> element: its machine datetime and its text.
var timeElem = regexp.MustCompile(`<time[^>]* datetime="([^"]+)"[^>]*>([^<]*)</time>`)

// The crisis room shows times in the office's zone with the zone named,
// while datetime attributes and the CSV export stay UTC RFC 3339.
func TestTimeZoneShown(t *testing.T) {
	t.Parallel()
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	occurred := time.Date(2025, 11, 26, 8, 4, 0, 0, time.UTC)
	tests := []struct {
		name string
		loc  *time.Location // the time-zone setting; nil: none
		want string         // occurred, as the room shows it
		zone string         // the label every shown time ends with
		in   *time.Location
	}{
		{"default UTC", nil, "2025-11-26 08:04 UTC", "UTC", time.UTC},
		{"Hong Kong", hk, "2025-11-26 16:04 HKT", "HKT", hk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.TimeZone = tt.loc }})
			boss, u := e.SignedIn("boss", authz.Commander)
			c, err := e.Store.Crises().Declare(context.Background(), apptest.As(u), crisis.Declaration{Title: "Typhoon Koinu",
				TypeID: e.Typhoon().ID, Level: catalog.LevelIII, Location: "Harbour", OccurredAt: occurred})
			if err != nil {
				t.Fatalf("declare: %v", err)
			}
			room := fmt.Sprintf("/desk/crises/%d", c.ID)
			res := boss.Get(room)
			apptest.WantStatus(t, res, http.StatusOK)
			apptest.WantBody(t, res, "<dd>"+tt.want+"</dd>")

			pairs := timeElem.FindAllStringSubmatch(res.Body, -1)
			if len(pairs) == 0 {
				t.Fatalf("no <time> in the room: %s", apptest.Snippet(res.Body))
			}
			for _, p := range pairs {
				at, err := time.Parse(time.RFC3339, p[1])
				if err != nil || !strings.HasSuffix(p[1], "Z") {
					t.Errorf("datetime %q is not UTC RFC 3339 (%v)", p[1], err)
					continue
				}
				if want := at.In(tt.in).Format("2006-01-02 15:04 ") + tt.zone; p[2] != want {
					t.Errorf("<time datetime=%q> shows %q, want %q", p[1], p[2], want)
				}
			}

			res = boss.Get(room + "/timeline.csv")
			apptest.WantStatus(t, res, http.StatusOK)
			rows := strings.Split(strings.TrimSpace(res.Body), "\n")
			if len(rows) < 2 {
				t.Fatalf("export has no events: %q", res.Body)
			}
			for _, row := range rows[1:] {
				at, _, _ := strings.Cut(row, ",")
				if _, err := time.Parse(time.RFC3339, at); err != nil || !strings.HasSuffix(at, "Z") {
					t.Errorf("export time %q is not UTC RFC 3339", at)
				}
			}
		})
	}
}
