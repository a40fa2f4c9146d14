package signin_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestLanguageFromBrowser(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	cases := []struct {
		accept, lang, title string
	}{
		{"", "zh-Hant", "登入"},
		{"zh-TW,zh;q=0.9", "zh-Hant", "登入"},
		{"zh-HK", "zh-Hant", "登入"},
		{"zh-CN,zh;q=0.9", "zh-Hans", "登录"},
		{"en-GB,en;q=0.9", "en", "Sign in"},
	}
	for _, tc := range cases {
		t.Run(tc.accept, func(t *testing.T) {
			t.Parallel()
			c := e.Browser()
			c.Accept = tc.accept
			res := c.Get("/signin")
			apptest.WantBody(t, res, `<html lang="`+tc.lang+`">`, `<h1 id="page-title">`+tc.title+`</h1>`)
		})
	}
}

func TestLanguagePickerAnonymous(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c := e.Browser()
	c.Accept = "en"
	apptest.WantBody(t, c.Get("/signin"), "Sign in")

	res := c.PostForm("/desk/account/language", url.Values{"language": {"zh-Hans"}, "next": {"/signin?next=%2Fadmin%2Fusers"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/signin?next=%2Fadmin%2Fusers" {
		t.Errorf("Location %q", res.Location())
	}
	apptest.WantBody(t, c.Get("/signin"), `<html lang="zh-Hans">`, "登录", `<option value="zh-Hans" lang="zh-Hans" selected>`)

	res = c.PostForm("/desk/account/language", url.Values{"language": {"klingon"}})
	apptest.WantStatus(t, res, http.StatusBadRequest)
	res = c.PostForm("/desk/account/language", url.Values{"language": {"en"}, "next": {"https://evil.example/"}})
	if res.Location() != "/desk" {
		t.Errorf("foreign next followed: %q", res.Location())
	}
}

func TestLanguagePickerSignedIn(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	u, err := e.Store.Accounts().CreateUser(context.Background(), apptest.CLI, account.NewUser{Name: "mei", Role: authz.Editor, Password: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Browser()
	c.Accept = "zh-TW"
	c.SignInAs("mei", apptest.Password)
	apptest.WantBody(t, c.Get("/desk"), "目前沒有進行中的危機", "登出")

	apptest.WantStatus(t, c.PostForm("/desk/account/language", url.Values{"language": {"zh-Hans"}, "next": {"/desk"}}), http.StatusSeeOther)
	apptest.WantBody(t, c.Get("/desk"), "目前没有进行中的危机", `<html lang="zh-Hans">`)

	// Stored on the user: another browser preferring English sees it too.
	got, err := e.Store.Accounts().User(context.Background(), u.ID)
	if err != nil || got.Language != "zh-Hans" {
		t.Fatalf("stored language %q, %v", got.Language, err)
	}
	other := e.Browser()
	other.Accept = "en"
	other.SignInAs("mei", apptest.Password)
	apptest.WantBody(t, other.Get("/desk"), "目前没有进行中的危机")
}
