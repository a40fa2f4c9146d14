package crises_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// The timeline's system entries read in each reader's language in the
// room, the CSV export and the print view.
func TestTimelineSystemTextsInTwoLanguages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, _ := e.SignedIn("boss", authz.Commander)
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)
	apptest.WantStatus(t, boss.PostForm(room+"/level", url.Values{"level": {"II"}, "reason": {"Signal 9"}}), http.StatusSeeOther)

	cases := []struct {
		lang, want string
	}{
		{"en", "Level changed from III to II: Signal 9"},
		{"zh-Hant", "級別由 III 變更為 II：Signal 9"},
		{"zh-Hans", "级别由 III 变更为 II：Signal 9"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			u := e.UserWith(account.NewUser{Name: "reader-" + tc.lang, Role: authz.Observer, Language: tc.lang})
			b := e.SignIn(u)
			for _, path := range []string{room, room + "/timeline.csv", room + "/timeline/print"} {
				res := b.Get(path)
				apptest.WantStatus(t, res, http.StatusOK)
				apptest.WantBody(t, res, tc.want)
			}
		})
	}
}
