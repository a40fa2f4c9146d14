package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

var (
	summaryBlock = regexp.MustCompile(`(?s)<div class="error-summary" id="error-summary"[^>]*>(.*?)</div>`)
	summaryLink  = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`)
	summaryItem  = regexp.MustCompile(`<li[^>]*>`)
)

// wantSummary checks the error summary of a page that came back with
// errors: the title starts with prefix, the summary is there and takes
// focus, each of its links leads to a form control of the page and names
// that control's label. It returns the ids the summary links to.
func wantSummary(t *testing.T, name string, res apptest.Response, prefix string) []string {
	t.Helper()
	if !strings.Contains(res.Body, "<title>"+prefix) {
		t.Errorf("%s: the title does not start with %q:\n%s", name, prefix, apptest.Snippet(res.Body))
	}
	m := summaryBlock.FindStringSubmatch(res.Body)
	if m == nil {
		t.Errorf("%s: no error summary:\n%s", name, apptest.Snippet(res.Body))
		return nil
	}
	if !strings.Contains(m[0], `tabindex="-1"`) || !strings.Contains(m[0], "autofocus") {
		t.Errorf("%s: the summary cannot take focus: %s", name, m[0])
	}
	if h1 := strings.Index(res.Body, "<h1"); h1 >= 0 && strings.Index(res.Body, `id="error-summary"`) > h1 {
		t.Errorf("%s: the summary is not at the top of the page", name)
	}
	items := summaryItem.FindAllString(m[1], -1)
	links := summaryLink.FindAllStringSubmatch(m[1], -1)
	if len(items) == 0 {
		t.Errorf("%s: an empty summary", name)
	}
	var ids []string
	for _, l := range links {
		id, text := l[1], l[2]
		ids = append(ids, id)
		control := regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(res.Body)
		if control == "" {
			t.Errorf("%s: the summary links to #%s, which is no form control of the page", name, id)
			continue
		}
		if strings.Contains(control, `type="checkbox"`) || strings.Contains(control, `type="radio"`) {
			continue // one choice of a group, which its legend names (the kit's test)
		}
		label := regexp.MustCompile(`<label[^>]*\sfor="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)`).FindStringSubmatch(res.Body)
		if label == nil {
			t.Errorf("%s: the control #%s has no label", name, id)
			continue
		}
		if l := strings.TrimSpace(label[1]); l != "" && !strings.Contains(text, l) {
			t.Errorf("%s: the summary's message %q does not name its field %q", name, text, l)
		}
	}
	// Every field marked invalid is in the summary.
	for _, inv := range regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"[^>]*aria-invalid="true"`).FindAllStringSubmatch(res.Body, -1) {
		if !slices.Contains(ids, inv[1]) {
			t.Errorf("%s: #%s is marked invalid but missing from the summary", name, inv[1])
		}
	}
	return ids
}

// TestErrorSummary walks the staff forms with bad input, in English and
// in Chinese, and then posts an empty form to every form route as a role
// that may use it: whatever page comes back showing a field error has
// the summary.
func TestErrorSummary(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	dept, err := e.Store.Accounts().CreateDepartment(t.Context(), apptest.CLI, account.DepartmentInput{Code: "health", Name: "Health"})
	if err != nil {
		t.Fatal(err)
	}
	clients := map[authz.Role]*apptest.Browser{}
	for _, role := range authz.Roles {
		clients[role], _ = e.SignedIn("sum-"+string(role), role)
	}
	anon := e.Browser()

	cases := []struct {
		name    string
		as      authz.Role // "" for a stranger
		path    string
		form    url.Values
		wantIDs []string // the summary links to at least these, in this order
	}{
		{"declare", authz.Commander, "/desk/crises/new", url.Values{"title": {""}, "type_id": {""}, "location": {""}, "occurred_at": {"soon"}},
			[]string{"crisis-title", "crisis-type", "crisis-location"}},
		{"new user", authz.Admin, "/desk/admin/users/new", url.Values{"name": {""}, "display_name": {""}, "role": {"nobody"}}, nil},
		{"new department", authz.Admin, "/desk/admin/departments/new", url.Values{"code": {""}, "name": {""}}, nil},
		{"edit department", authz.Admin, fmt.Sprintf("/desk/admin/departments/%d", dept.ID), url.Values{"code": {""}, "name": {""}}, nil},
		{"new crisis type", authz.Admin, "/desk/catalog/new", url.Values{"code": {""}}, nil},
		{"new plan", authz.Commander, "/desk/plans/new", url.Values{"title": {""}}, nil},
		{"new notice", authz.Editor, "/desk/notices/new", url.Values{"crisis_id": {fmt.Sprint(w.Crisis.ID)}}, nil},
		{"import CAP", authz.Editor, "/desk/notices/import", url.Values{"xml": {"<alert"}}, nil},
		{"timeline note", authz.Commander, fmt.Sprintf("/desk/crises/%d/timeline", w.Crisis.ID), url.Values{"note": {""}}, nil},
		{"own password", authz.Editor, "/desk/account/password", url.Values{"current": {"wrong"}, "new": {"x"}, "confirm": {"y"}}, nil},
		{"webhook", authz.Admin, "/desk/webhooks", url.Values{"name": {""}, "url": {"ftp://x"}}, nil},
		{"channel test", authz.Admin, "/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"not an address"}}, nil},
		{"sign-in", "", "/signin", url.Values{"name": {"nobody"}, "password": {"wrong"}}, nil},
	}
	for _, tc := range cases {
		c := anon
		if tc.as != "" {
			c = clients[tc.as]
		}
		res := c.PostForm(tc.path, tc.form)
		if res.Status < 400 || res.Status >= 500 {
			t.Errorf("%s: status %d, want the form again with its errors\n%s", tc.name, res.Status, apptest.Snippet(res.Body))
			continue
		}
		ids := wantSummary(t, tc.name, res, "Error: ")
		var got []string
		for _, id := range ids {
			if slices.Contains(tc.wantIDs, id) {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tc.wantIDs) && tc.wantIDs != nil {
			t.Errorf("%s: the summary links to %v, want %v in that order", tc.name, ids, tc.wantIDs)
		}
	}

	t.Run("zh-Hant", func(t *testing.T) {
		c, _ := e.SignedIn("sum-zh", authz.Commander)
		if res := c.PostForm("/desk/account/language", url.Values{"language": {"zh-Hant"}, "next": {"/desk"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("choose zh-Hant: %d", res.Status)
		}
		res := c.PostForm("/desk/crises/new", url.Values{"title": {""}})
		wantSummary(t, "declare in zh-Hant", res, "錯誤：")
		apptest.WantBody(t, res, "有問題需要處理")
	})

	// Every form route, posted empty by a role that may use it.
	summaries := 0
	for _, rt := range e.App.Web.Routes() {
		if rt.Method != http.MethodPost || rt.Pattern == "/signout" || strings.HasSuffix(rt.Pattern, "/delete") {
			continue
		}
		p := rt.Pattern
		for from, to := range map[string]string{
			"/desk/admin/users/{id}": fmt.Sprintf("/desk/admin/users/%d", w.Editor.ID), "/desk/admin/departments/{id}": fmt.Sprintf("/desk/admin/departments/%d", dept.ID),
			"/desk/catalog/{id}": fmt.Sprintf("/desk/catalog/%d", w.Type.ID), "/desk/plans/{id}": fmt.Sprintf("/desk/plans/%d", w.Plan.ID),
			"/desk/crises/{id}": fmt.Sprintf("/desk/crises/%d", w.Crisis.ID), "/desk/tasks/{id}": fmt.Sprintf("/desk/tasks/%d", w.Tasks[0].ID),
			"{n}": "0",
		} {
			p = strings.Replace(p, from, to, 1)
		}
		if strings.Contains(p, "{") {
			continue // notices, subscribers and webhooks by id: their refusals are covered above and in their rooms
		}
		c := anon
		if rt.Action != "" {
			for _, role := range authz.Roles {
				if authz.Can(role, rt.Action) {
					c = clients[role]
					break
				}
			}
		}
		res := c.PostForm(p, url.Values{})
		shows := strings.Contains(res.Body, `class="field-error"`) || strings.Contains(res.Body, `aria-invalid="true"`)
		if shows || strings.Contains(res.Body, `id="error-summary"`) {
			summaries++
			wantSummary(t, "empty "+p, res, "Error: ")
		}
	}
	if summaries < 8 {
		t.Errorf("only %d form routes came back with a summary; the walk is not reaching the forms", summaries)
	}
}
