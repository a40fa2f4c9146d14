package rumours_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/rumours"
	"crisisdesk/internal/app/apptest"
)

func TestRumourAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	seen := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	body := func(claim string) string {
		return fmt.Sprintf(`{"claim":%q,"first_seen":%q,"spread":"high"}`, claim, seen)
	}
	for _, c := range []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"observer may not record", "observer", body("x"), 403, ""},
		{"empty claim", "editor", body(""), 422, "body.claim"},
		{"huge claim", "editor", body(strings.Repeat("x", 20000)), 422, "body.claim"},
		{"bad verdict", "editor", strings.Replace(body("x"), `"spread"`, `"verdict":"maybe","spread"`, 1), 422, "body.verdict"},
		{"unknown crisis", "editor", strings.Replace(body("x"), `"spread"`, `"crisis_id":99999,"spread"`, 1), 422, "body.crisis_id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/rumours", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}
	x := apptest.Decode[rumours.Rumour](t, s.Call("editor", "POST", "/api/v1/rumours", body("<b>Dam burst</b>"), http.StatusCreated))
	path := fmt.Sprintf("/api/v1/rumours/%d", x.ID)
	s.Call("editor", "POST", path+"/answer", `{}`, http.StatusUnprocessableEntity) // no facts yet
	res := s.Call("editor", "POST", path+"/sightings", `{"seen_at":"2020-01-01T00:00:00Z","url":"javascript:alert(1)"}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.url") {
		t.Fatalf("bad link: %s", res.Body)
	}
	s.Call("editor", "POST", path+"/sightings", `{"seen_at":"2020-01-01T00:00:00Z","url":"https://example.org/p"}`, http.StatusCreated)
	save := fmt.Sprintf(`{"claim":"<b>Dam burst</b>","first_seen":%q,"verdict":"false","facts":"The dam is intact.","lock":%d}`, seen, x.Lock)
	s.Call("editor", "PUT", path, save, http.StatusConflict) // the sighting moved first seen: the lock is old
	x = apptest.Decode[rumours.Rumour](t, s.Call("liaison", "GET", path, "", http.StatusOK))
	if len(x.Sightings) != 1 || x.FirstSeen.Year() != 2020 {
		t.Fatalf("after sighting: %+v", x)
	}
	save = fmt.Sprintf(`{"claim":"<b>Dam burst</b>","first_seen":"2020-01-01T00:00:00Z","verdict":"false","facts":"The dam is intact.","lock":%d}`, x.Lock)
	s.Call("editor", "PUT", path, save, http.StatusOK)
	x = apptest.Decode[rumours.Rumour](t, s.Call("editor", "POST", path+"/answer", `{}`, http.StatusOK))
	if x.NoticeID == 0 || x.ClarifiedAt != nil {
		t.Fatalf("answered: %+v", x)
	}
	s.Call("editor", "POST", path+"/answer", `{}`, http.StatusConflict)
	list := s.Call("observer", "GET", "/api/v1/rumours?open=true&verdict=false", "", http.StatusOK)
	if !strings.Contains(list.Body, `"total":1`) {
		t.Fatalf("list: %s", list.Body)
	}
}
