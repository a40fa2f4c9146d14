package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

func TestLanguageFromBrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
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
			c := e.client()
			c.accept = tc.accept
			res := c.get("/signin")
			wantBody(t, res, `<html lang="`+tc.lang+`">`, `<h1 id="page-title">`+tc.title+`</h1>`)
		})
	}
}

func TestLanguagePickerAnonymous(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.accept = "en"
	wantBody(t, c.get("/signin"), "Sign in")

	res := c.post("/account/language", url.Values{"language": {"zh-Hans"}, "next": {"/signin?next=%2Fadmin%2Fusers"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location() != "/signin?next=%2Fadmin%2Fusers" {
		t.Errorf("Location %q", res.location())
	}
	wantBody(t, c.get("/signin"), `<html lang="zh-Hans">`, "登录", `<option value="zh-Hans" lang="zh-Hans" selected>`)

	res = c.post("/account/language", url.Values{"language": {"klingon"}})
	wantStatus(t, res, http.StatusBadRequest)
	res = c.post("/account/language", url.Values{"language": {"en"}, "next": {"https://evil.example/"}})
	if res.location() != "/desk" {
		t.Errorf("foreign next followed: %q", res.location())
	}
}

func TestLanguagePickerSignedIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, err := e.st.Accounts().CreateUser(context.Background(), cli, account.NewUser{Name: "mei", Role: authz.Editor, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.accept = "zh-TW"
	c.signIn("mei", password)
	wantBody(t, c.get("/desk"), "目前沒有進行中的危機", "登出")

	wantStatus(t, c.post("/account/language", url.Values{"language": {"zh-Hans"}, "next": {"/desk"}}), http.StatusSeeOther)
	wantBody(t, c.get("/desk"), "目前没有进行中的危机", `<html lang="zh-Hans">`)

	// Stored on the user: another browser preferring English sees it too.
	got, err := e.st.Accounts().User(context.Background(), u.ID)
	if err != nil || got.Language != "zh-Hans" {
		t.Fatalf("stored language %q, %v", got.Language, err)
	}
	other := e.client()
	other.accept = "en"
	other.signIn("mei", password)
	wantBody(t, other.get("/desk"), "目前没有进行中的危机")
}
