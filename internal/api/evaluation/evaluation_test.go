package evaluation_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestReviewAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := s.CrisisWithPlan()
	path := fmt.Sprintf("/api/v1/crises/%d/review", crisisID)

	// Before closing there is no review.
	apptest.WantStatus(t, s.Do("observer", "GET", path, ""), http.StatusNotFound)
	s.Call("commander", "POST", fmt.Sprintf("/api/v1/crises/%d/close", crisisID), `{"summary":"Signal lowered"}`, http.StatusOK)

	rv := apptest.Decode[struct {
		Version int64  `json:"version"`
		DueAt   string `json:"due_at"`
		Facts   struct {
			Clocks  []any    `json:"clocks"`
			Pending []string `json:"pending"`
		} `json:"facts"`
	}](t, s.Call("observer", "GET", path, "", http.StatusOK))
	if rv.DueAt == "" || len(rv.Facts.Clocks) == 0 || len(rv.Facts.Pending) != 3 {
		t.Fatalf("review %+v", rv)
	}
	owner := s.Users[authz.Liaison].ID
	body := fmt.Sprintf(`{"lessons":"Check the drains first.","action_items":[{"text":"Update the drains list","owner_id":%d}],"version":%d}`, owner, rv.Version)
	cases := []struct {
		name, who, method, path, body string
		want                          int
		loc                           string
	}{
		{"observer may not write", "observer", "PUT", path, body, 403, ""},
		{"an action without text", "commander", "PUT", path, strings.Replace(body, "Update the drains list", " ", 1), 422, "action_items[0].text"},
		{"bad json", "commander", "PUT", path, `{"lessons":`, 400, ""},
		{"stale version", "commander", "PUT", path, strings.Replace(body, fmt.Sprintf(`"version":%d`, rv.Version), `"version":999`, 1), 409, ""},
		{"nobody wrote it yet", "approver", "POST", path + "/sign", "", 409, ""},
		{"editor may not sign", "editor", "POST", path + "/sign", "", 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, c.method, c.path, c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !strings.Contains(string(res.Body), c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}
	saved := apptest.Decode[struct {
		AuthorID    int64 `json:"author_id"`
		ActionItems []struct {
			OwnerID int64 `json:"owner_id"`
		} `json:"action_items"`
	}](t, s.Call("commander", "PUT", path, body, http.StatusOK))
	if saved.AuthorID != s.Users[authz.Commander].ID || len(saved.ActionItems) != 1 || saved.ActionItems[0].OwnerID != owner {
		t.Fatalf("saved %+v", saved)
	}
	apptest.WantStatus(t, s.Do("commander", "POST", path+"/sign", ""), http.StatusForbidden) // its author
	signed := apptest.Decode[struct {
		SignedBy int64 `json:"signed_by"`
	}](t, s.Call("approver", "POST", path+"/sign", "", http.StatusOK))
	if signed.SignedBy != s.Users[authz.Approver].ID {
		t.Fatalf("signed %+v", signed)
	}
	apptest.WantStatus(t, s.Do("commander", "PUT", path, body), http.StatusConflict)

	// The figures and the library answer too.
	figs := apptest.Decode[struct {
		Versions map[string]int `json:"versions"`
		Figures  []any          `json:"figures"`
	}](t, s.Call("observer", "GET", "/api/v1/evaluation/figures", "", http.StatusOK))
	if figs.Versions["first_notice"] != 1 || len(figs.Figures) == 0 {
		t.Fatalf("figures %+v", figs)
	}
	apptest.WantStatus(t, s.Do("liaison", "GET", "/api/v1/evaluation/figures", ""), http.StatusForbidden)
	apptest.WantStatus(t, s.Do("observer", "GET", "/api/v1/evaluation/figures?period=2026-Q9", ""), http.StatusUnprocessableEntity)
	hits := apptest.Decode[struct {
		Hits []struct {
			Kind string `json:"kind"`
		} `json:"hits"`
	}](t, s.Call("liaison", "GET", "/api/v1/lessons?q=drains", "", http.StatusOK))
	if len(hits.Hits) != 1 || hits.Hits[0].Kind != "review" {
		t.Fatalf("hits %+v", hits)
	}
	apptest.WantStatus(t, s.Do("liaison", "GET", "/api/v1/lessons?q=%25", ""), http.StatusUnprocessableEntity)
}
