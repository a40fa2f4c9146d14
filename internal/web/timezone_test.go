package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web"
)

// newEnvIn is newEnv with the pages showing times in loc.
func newEnvIn(t *testing.T, loc *time.Location) *env {
	t.Helper()
	broker := live.NewBroker()
	st := openStore(t, broker)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{
		Accounts: st.Accounts(), Audit: st.Audit(), Sessions: &session.Manager{Accounts: st.Accounts()},
		Catalog: cat, Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Live: broker,
		Logger: slog.New(slog.DiscardHandler), Version: "test", Location: loc,
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, live: broker, h: h, srv: srv}
}

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
		loc  *time.Location // nil: the default
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
			e := newEnvIn(t, tt.loc)
			boss, u := e.signedIn("boss", authz.Commander)
			c, err := e.st.Crises().Declare(context.Background(), as(u), crisis.Declaration{Title: "Typhoon Koinu",
				TypeID: e.typhoon().ID, Level: catalog.LevelIII, Location: "Harbour", OccurredAt: occurred})
			if err != nil {
				t.Fatalf("declare: %v", err)
			}
			room := fmt.Sprintf("/desk/crises/%d", c.ID)
			res := boss.get(room)
			wantStatus(t, res, http.StatusOK)
			wantBody(t, res, "<dd>"+tt.want+"</dd>")

			pairs := timeElem.FindAllStringSubmatch(res.Body, -1)
			if len(pairs) == 0 {
				t.Fatalf("no <time> in the room: %s", snippet(res.Body))
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

			res = boss.get(room + "/timeline.csv")
			wantStatus(t, res, http.StatusOK)
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
