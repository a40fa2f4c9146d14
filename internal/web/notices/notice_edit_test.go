package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
)

// draftCreated checks that a post made a draft and returns it.
func draftCreated(t *testing.T, e *apptest.Env, res apptest.Response) notice.Notice {
	t.Helper()
	m := noticeLocation.FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	n, err := e.Store.Notices().Get(t.Context(), mustID(t, m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNoticeEditorTabsAndLanguages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)

	res := author.Get(fmt.Sprintf("/desk/notices/new?crisis=%d", w.Crisis.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	// Tabs for script, stacked fieldsets without: every language is a
	// fieldset in the page, and the tab list waits hidden for the script.
	apptest.WantBody(t, res, `role="tablist"`, `id="tab-zh-Hant"`, `id="tab-zh-Hans"`, `id="tab-en"`,
		`id="lang-zh-Hant" lang="zh-Hant" data-lang="zh-Hant" data-active`, `id="lang-en" lang="en"`,
		`id="convert-zh-Hant-zh-Hans"`, `id="convert-zh-Hans-zh-Hant"`, `hx-trigger="load, input changed delay:400ms from:#notice-form`)
	if !strings.Contains(res.Body, `aria-label="Languages of the notice" hidden>`) {
		t.Error("the tab list should be hidden until the script shows it")
	}

	// Adding a language is a post that keeps what was typed.
	form := noticeForm(w.Crisis.ID)
	form.Set("new_language", "JA")
	form.Set("add_language", "1")
	res = author.PostForm("/desk/notices/new", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="lang-ja" lang="ja" data-lang="ja" data-active`, `name="lang" value="ja"`, `value="Stay indoors"`, "留在室內")
	for _, bad := range []string{"not a tag!", "en"} {
		form.Set("new_language", bad)
		res = author.PostForm("/desk/notices/new", form)
		apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
		apptest.WantBody(t, res, "Give a language code that is not in the form yet")
	}

	// The added language is saved with the others, in the domain's order.
	form = noticeForm(w.Crisis.ID)
	form["lang"] = []string{"zh-Hant", "zh-Hans", "en", "ko", "ja"}
	form.Set("ja.headline", "屋内に留まってください")
	form.Set("ja.body", "シグナル8が発令されました。")
	form.Set("ko.headline", "실내에 머무르십시오")
	form.Set("ko.body", "8호 신호가 발령되었습니다.")
	n := draftCreated(t, e, author.PostForm("/desk/notices/new", form))
	if got := n.Languages(); !slices.Equal(got, []string{"zh-Hant", "en", "ja", "ko"}) {
		t.Errorf("languages %v", got)
	}

	// An error in an added language shows in its own tab.
	form.Set("ko.body", "")
	res = author.PostForm("/desk/notices/new", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="ko-body" name="ko.body" rows="5" aria-invalid="true"`)
	if strings.Contains(res.Body, `id="ja-body" name="ja.body" rows="5" aria-invalid`) {
		t.Error("the error is shown in the wrong tab")
	}
}

func TestNoticeEditorConversion(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)
	form := noticeForm(w.Crisis.ID)
	form.Set("zh-Hant.headline", "颱風警告：請留在室內")
	form.Set("zh-Hant.body", "八號風球現正生效，學校停課。")
	form.Set("zh-Hant.instruction", "遠離海旁。")

	// With htmx: the Simplified tab alone comes back, filled and marked.
	res := author.Scripted(http.MethodPost, "/desk/notices/convert?from=zh-Hant&to=zh-Hans", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="lang-zh-Hans"`, `value="台风警告：请留在室内"`, "八号风球现正生效，学校停课。", "远离海旁。",
		`data-converted aria-describedby="zh-Hans-headline-converted"`, "Converted — please review",
		`name="zh-Hans.converted.headline" value="台风警告：请留在室内"`)
	if strings.Contains(res.Body, "<html") || strings.Contains(res.Body, `id="lang-en"`) {
		t.Error("the htmx answer should be the one tab")
	}
	if strings.Contains(res.Body, `id="zh-Hans-contact" name="zh-Hans.contact" value="" data-converted`) {
		t.Error("an empty field is marked as converted")
	}

	// Without script: the whole editor, the rest of the form kept.
	res = author.PostForm("/desk/notices/convert?from=zh-Hant&to=zh-Hans", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notice-form"`, `value="台风警告：请留在室内"`, `value="Stay indoors"`, `id="lang-zh-Hans" lang="zh-Hans" data-lang="zh-Hans" data-active`)

	// The mark stays while the text is as converted, and goes once edited.
	form.Set("zh-Hans.headline", "台风警告：请留在室内")
	form.Set("zh-Hans.body", "八号风球现正生效，学校停课。（已核对）")
	form.Set("zh-Hans.converted.headline", "台风警告：请留在室内")
	form.Set("zh-Hans.converted.body", "八号风球现正生效，学校停课。")
	form.Set("new_language", "fr")
	form.Set("add_language", "1")
	res = author.PostForm("/desk/notices/new", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="zh-Hans-headline-converted"`)
	if strings.Contains(res.Body, `id="zh-Hans-body-converted"`) {
		t.Error("an edited field is still marked as converted")
	}

	// Back from Simplified to Traditional.
	back := url.Values{"zh-Hans.headline": {"发布台风警告"}, "zh-Hans.body": {"请市民留意最新消息。"}}
	res = author.Scripted(http.MethodPost, "/desk/notices/convert?from=zh-Hans&to=zh-Hant", back)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `value="發佈颱風警告"`, "請市民留意最新消息。")

	// Nothing to convert: the tab says so and keeps its text.
	empty := url.Values{"zh-Hans.headline": {"已有内容"}}
	res = author.Scripted(http.MethodPost, "/desk/notices/convert?from=zh-Hant&to=zh-Hans", empty)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="convert-message-zh-Hans"`, "Nothing to convert: the tab to convert from is empty.", `value="已有内容"`)

	// Only the two scripts convert, and only for editors.
	apptest.WantStatus(t, author.Scripted(http.MethodPost, "/desk/notices/convert?from=en&to=zh-Hans", form), http.StatusBadRequest)
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	apptest.WantStatus(t, watcher.Scripted(http.MethodPost, "/desk/notices/convert?from=zh-Hant&to=zh-Hans", form), http.StatusForbidden)
}

func TestNoticeEditorInternalAudience(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)
	health, err := e.Store.Accounts().CreateDepartment(t.Context(), apptest.CLI, account.DepartmentInput{Code: "health", Name: "Health <Dept>"})
	if err != nil {
		t.Fatal(err)
	}

	res := author.Get(fmt.Sprintf("/desk/notices/new?crisis=%d&audience=internal", w.Crisis.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notice-recipients"`, fmt.Sprintf(`id="department-%d"`, health.ID), "Health &lt;Dept&gt;", `id="role-liaison"`)

	// Neither departments nor roles: the message is beside the recipients.
	form := noticeForm(w.Crisis.ID)
	form.Set("audience", "internal")
	res = author.PostForm("/desk/notices/new", form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="recipients-error"`, "Choose at least one department or team role")

	// A department that does not exist, or a role that is not one.
	for _, bad := range []url.Values{{"departments": {"999999"}}, {"roles": {"janitor"}}} {
		f := noticeForm(w.Crisis.ID)
		f.Set("audience", "internal")
		for k, v := range bad {
			f[k] = v
		}
		res = author.PostForm("/desk/notices/new", f)
		apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
		apptest.WantBody(t, res, `id="recipients-error"`)
	}

	// Chosen: saved with the notice, and checked again when shown.
	form["departments"] = []string{fmt.Sprint(health.ID)}
	form["roles"] = []string{"liaison", "commander"}
	form.Set("event", "") // not required for an internal notice
	n := draftCreated(t, e, author.PostForm("/desk/notices/new", form))
	if n.Audience != notice.Internal || !slices.Equal(n.Departments, []int64{health.ID}) ||
		!slices.Equal(n.Roles, []authz.Role{authz.Liaison, authz.Commander}) {
		t.Errorf("saved %s %v %v", n.Audience, n.Departments, n.Roles)
	}

	// The outside experts alone are recipients enough.
	experts := noticeForm(w.Crisis.ID)
	experts.Set("audience", "internal")
	experts.Set("experts", "1")
	experts.Set("event", "")
	if n := draftCreated(t, e, author.PostForm("/desk/notices/new", experts)); !n.Experts || len(n.Roles) != 0 {
		t.Errorf("a notice to the experts saved %v %v", n.Experts, n.Roles)
	}

	// Recipients ticked for a public notice are not kept.
	form.Set("audience", "public")
	form.Set("event", "Typhoon")
	if n := draftCreated(t, e, author.PostForm("/desk/notices/new", form)); len(n.Departments) != 0 || len(n.Roles) != 0 {
		t.Errorf("a public notice kept recipients %v %v", n.Departments, n.Roles)
	}
}

func TestNoticeEditorCAPFields(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)

	cases := []struct {
		name   string
		change url.Values
		want   []string // in the refused page
	}{
		{"expires before effective", url.Values{"effective": {"2026-09-01T12:00"}, "expires": {"2026-09-01T08:00"}},
			[]string{`id="cap-expires" name="expires" type="datetime-local" value="2026-09-01T08:00" aria-invalid="true"`,
				"The expiry must come after the effective time."}},
		{"expires equal to effective", url.Values{"effective": {"2026-09-01T12:00"}, "expires": {"2026-09-01T12:00"}},
			[]string{"The expiry must come after the effective time."}},
		{"not a time", url.Values{"effective": {"tomorrow"}},
			[]string{`id="cap-effective" name="effective" type="datetime-local" value="tomorrow" aria-invalid="true"`, "Give a date and time"}},
		{"bad circle", url.Values{"circles": {"22.3,114.2 5\n95,114 3"}},
			[]string{`id="cap-circles" name="circles" rows="2" spellcheck="false" aria-invalid="true"`, "Write each circle as lat,lon"}},
		{"bad geocode", url.Values{"geocodes": {"district=Wan Chai\nno equals sign"}},
			[]string{`aria-invalid="true">district=Wan Chai`, "Write each geocode as name=value."}},
		{"area without words", url.Values{"area": {""}, "circles": {"22.3,114.2 5"}},
			[]string{"Describe the area in words."}},
	}
	for _, c := range cases {
		form := noticeForm(w.Crisis.ID)
		for k, v := range c.change {
			form[k] = v
		}
		res := author.PostForm("/desk/notices/new", form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, res.Status)
			continue
		}
		for _, want := range c.want {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s: body lacks %q\n%s", c.name, want, apptest.Snippet(res.Body))
			}
		}
	}

	// All of it, in UTC+08:00: stored in UTC.
	form := noticeForm(w.Crisis.ID)
	form.Set("tz", "480")
	form.Set("effective", "2026-09-01T08:00")
	form.Set("expires", "2026-09-01T20:30")
	form.Set("circles", "22.28,114.16 5\n\n22.3,114.2  2.5")
	form.Set("geocodes", "district = Wan Chai\r\ndistrict=Central")
	form.Set("polygons", "22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0")
	n := draftCreated(t, e, author.PostForm("/desk/notices/new", form))
	ar := n.CAP.Area
	if !n.CAP.Effective.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) || !n.CAP.Expires.Equal(time.Date(2026, 9, 1, 12, 30, 0, 0, time.UTC)) {
		t.Errorf("times %v %v", n.CAP.Effective, n.CAP.Expires)
	}
	if !slices.Equal(ar.Circles, []string{"22.28,114.16 5", "22.3,114.2 2.5"}) || len(ar.Polygons) != 1 ||
		!slices.Equal(ar.Geocodes, []notice.Geocode{{Name: "district", Value: "Wan Chai"}, {Name: "district", Value: "Central"}}) {
		t.Errorf("area %+v", ar)
	}
}

// TestNoticeEditorControlCharacters posts what a paste from a word
// processor gives: a soft line break (a vertical tab) in the headline is
// refused beside it, as is a NUL in the text; the same breaks in the text
// are kept as line breaks.
func TestNoticeEditorControlCharacters(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)
	cases := []struct {
		name  string
		field string
		value string
		want  []string // in the refused page
	}{
		{"soft line break in the headline", "en.headline", "Stay\vindoors",
			[]string{`name="en.headline" value="Stay` + "\n" + `indoors" maxlength="160" aria-invalid="true"`,
				`<p class="field-error" role="alert">This field is one line: remove the line break.`}},
		{"NUL in the text", "en.body", "Signal 8\x00 is hoisted.",
			[]string{`name="en.body" rows="5" aria-invalid="true"`,
				`<p class="field-error" role="alert">This text contains a character that cannot be published: U&#43;0000`}},
		{"escape in the zh-Hant text", "zh-Hant.body", "\x1b[31m八號風球",
			[]string{`name="zh-Hant.body" rows="5" aria-invalid="true"`, `<p class="field-error" role="alert">This text contains a character that cannot be published: U&#43;001B`}},
	}
	for _, c := range cases {
		form := noticeForm(w.Crisis.ID)
		form.Set(c.field, c.value)
		res := author.PostForm("/desk/notices/new", form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, res.Status)
			continue
		}
		for _, want := range c.want {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s: body lacks %q\n%s", c.name, want, apptest.Snippet(res.Body))
			}
		}
		if !strings.Contains(res.Body, `id="form-error"`) {
			t.Errorf("%s: no message at the top of the form", c.name)
		}
	}

	form := noticeForm(w.Crisis.ID)
	form.Set("en.body", "Signal 8 is hoisted.\vStay indoors.\r\nAvoid\u2028the shore.")
	n := draftCreated(t, e, author.PostForm("/desk/notices/new", form))
	if got := n.Content("en").Body; got != "Signal 8 is hoisted.\nStay indoors.\nAvoid\nthe shore." {
		t.Errorf("pasted breaks stored as %q", got)
	}
}
