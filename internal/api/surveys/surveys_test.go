package surveys_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/api/surveys"
	"crisisdesk/internal/app/apptest"
)

func TestSurveyAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	title := `"title":{"zh-Hant":"調查","zh-Hans":"调查","en":"Survey"}`
	s.Call("observer", "POST", "/api/v1/surveys", `{`+title+`}`, http.StatusForbidden)
	res := s.Call("editor", "POST", "/api/v1/surveys", `{`+title+`,"questions":[{"key":"q","kind":"scale","text":{"en":"Clear?"}}]}`,
		http.StatusUnprocessableEntity)
	if p := apptest.WantProblem(t, res); !p.Has("body.questions[0].text.zh-Hant") {
		t.Fatalf("missing language: %s", res.Body)
	}
	res = s.Call("editor", "POST", "/api/v1/surveys", `{`+title+`,"questions":[{"key":"c","kind":"single","text":{"zh-Hant":"選","zh-Hans":"选","en":"Pick"},"options":[{"key":"a","text":{"en":"A"}}]}]}`,
		http.StatusUnprocessableEntity)
	if p := apptest.WantProblem(t, res); !p.Has("body.questions[0].options") {
		t.Fatalf("one option: %s", res.Body)
	}
	sv := apptest.Decode[surveys.Survey](t, s.Call("editor", "POST", "/api/v1/surveys", `{`+title+`}`, http.StatusCreated))
	if sv.State != "draft" || len(sv.Questions) != 6 {
		t.Fatalf("default questionnaire: %+v", sv)
	}
	path := fmt.Sprintf("/api/v1/surveys/%d", sv.ID)
	s.Call("editor", "PUT", path, fmt.Sprintf(`{%s,"questions":[{"key":"trust","kind":"scale","required":true,"text":{"zh-Hant":"信任？","zh-Hans":"信任？","en":"Trust?"}}],"lock":%d}`, title, sv.Lock+1), http.StatusConflict)
	s.Call("editor", "PUT", path, fmt.Sprintf(`{%s,"questions":[{"key":"trust","kind":"scale","required":true,"text":{"zh-Hant":"信任？","zh-Hans":"信任？","en":"Trust?"}}],"lock":%d}`, title, sv.Lock), http.StatusOK)
	s.Call("reviewer", "POST", path+"/send", `{}`, http.StatusForbidden)
	s.Call("editor", "POST", path+"/close", `{}`, http.StatusConflict)
	sv = apptest.Decode[surveys.Survey](t, s.Call("editor", "POST", path+"/send", `{}`, http.StatusOK))
	if sv.State != "sent" || sv.SentAt == nil {
		t.Fatalf("sent: %+v", sv)
	}
	s.Call("editor", "POST", path+"/send", `{}`, http.StatusConflict)
	res = s.Call("observer", "GET", path+"/results", "", http.StatusOK)
	if !strings.Contains(res.Body, `"key":"trust"`) {
		t.Fatalf("results: %s", res.Body)
	}
	s.Call("liaison", "GET", path+"/results", "", http.StatusForbidden)
	s.Call("observer", "GET", "/api/v1/survey-trend", "", http.StatusOK)
	s.Call("observer", "GET", "/api/v1/surveys/99999", "", http.StatusNotFound)
}
