package actions_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/actions"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestActionAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	owner := s.Users[authz.Liaison].ID
	due := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	body := func(replace ...string) string {
		b := fmt.Sprintf(`{"source_kind":"meeting","source_id":3,"text":"Check the generators","owner_id":%d,"due":%q}`, owner, due)
		for i := 0; i+1 < len(replace); i += 2 {
			b = strings.Replace(b, replace[i], replace[i+1], 1)
		}
		return b
	}
	for _, c := range []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"a liaison may not add", "liaison", body(), 403, ""},
		{"no owner", "editor", body(fmt.Sprintf(`"owner_id":%d`, owner), `"owner_id":0`), 422, "body.owner_id"},
		{"unknown owner", "editor", body(fmt.Sprintf(`"owner_id":%d`, owner), `"owner_id":99999`), 422, "body.owner_id"},
		{"past due", "editor", body(due, "2001-01-01T00:00:00Z"), 422, "body.due"},
		{"a drill's action", "editor", body(`"meeting"`, `"drill"`), 422, "body.source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/actions", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}
	x := apptest.Decode[actions.ListedAction](t, s.Call("editor", "POST", "/api/v1/actions", body(), http.StatusCreated))
	if x.State != "open" || x.OwnerID != owner || x.Link != "/desk/meetings/3" {
		t.Fatalf("created %+v", x)
	}
	path := fmt.Sprintf("/api/v1/actions/%d", x.ID)
	s.Call("observer", "POST", path+"/done", `{}`, http.StatusForbidden) // not the owner
	x = apptest.Decode[actions.ListedAction](t, s.Call("liaison", "POST", path+"/done", `{}`, http.StatusOK))
	if x.State != "done" || x.DoneBy != owner {
		t.Fatalf("done %+v", x)
	}
	s.Call("approver", "POST", path+"/verify", `{}`, http.StatusOK)
	list := apptest.Decode[struct {
		Items []actions.ListedAction `json:"items"`
	}](t, s.Call("observer", "GET", fmt.Sprintf("/api/v1/actions?owner_id=%d&state=verified", owner), "", http.StatusOK))
	if len(list.Items) != 1 || list.Items[0].ID != x.ID {
		t.Fatalf("list %+v", list)
	}
	s.Call("observer", "GET", "/api/v1/actions/99999", "", http.StatusNotFound)
}
