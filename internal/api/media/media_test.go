package media_test

import (
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/media"
	"crisisdesk/internal/app/apptest"
)

func TestMediaAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	for _, c := range []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"observer may not add", "observer", `{"name":"Wong","outlet":"Daily","language":"en","email":"w@daily.example"}`, 403, ""},
		{"bad e-mail", "editor", `{"name":"Wong","outlet":"Daily","language":"en","email":"w at daily"}`, 422, "body.email"},
		{"bad phone", "editor", `{"name":"Wong","outlet":"Daily","language":"en","phone":"12"}`, 422, "body.phone"},
		{"no outlet", "editor", `{"name":"Wong","language":"en","email":"w@daily.example"}`, 422, "body.outlet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/media/journalists", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}
	j := apptest.Decode[media.Journalist](t, s.Call("editor", "POST", "/api/v1/media/journalists",
		`{"name":"Wong Mei","outlet":"Harbour Daily","language":"zh-Hant","email":"mei@harbour.example","channels":["email"],"consent":true}`, http.StatusCreated))
	if j.Email != "mei@harbour.example" {
		t.Fatalf("created %+v", j)
	}
	list := apptest.Decode[struct{ Items []media.Journalist }](t, s.Call("observer", "GET", "/api/v1/media/journalists", "", http.StatusOK))
	if len(list.Items) != 1 || list.Items[0].Email == j.Email {
		t.Fatalf("an observer sees %+v, want the e-mail masked", list.Items)
	}

	res := s.Do("editor", "POST", "/api/v1/media/inquiries", `{"channel":"phone","question":"Schools?"}`)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.asker") {
		t.Errorf("no asker: %s", res.Body)
	}
	q := apptest.Decode[media.Inquiry](t, s.Call("editor", "POST", "/api/v1/media/inquiries",
		fmt.Sprintf(`{"journalist_id":%d,"channel":"phone","question":"Are schools closed tomorrow?"}`, j.ID), http.StatusCreated))
	if q.Asker != "Wong Mei" || q.Ref == "" || q.RepliedAt != nil {
		t.Fatalf("logged %+v", q)
	}
	open := apptest.Decode[struct{ Items []media.Inquiry }](t, s.Call("observer", "GET", "/api/v1/media/inquiries?open=true", "", http.StatusOK))
	if len(open.Items) != 1 {
		t.Fatalf("open %+v", open)
	}
	path := fmt.Sprintf("/api/v1/media/inquiries/%d/answer", q.ID)
	s.Call("observer", "POST", path, `{"reply":"Yes"}`, http.StatusForbidden)
	a := apptest.Decode[media.Inquiry](t, s.Call("editor", "POST", path, `{"reply":"All schools are closed on Thursday."}`, http.StatusOK))
	if a.RepliedAt == nil || a.Late {
		t.Fatalf("answered %+v", a)
	}
	s.Call("editor", "POST", path, `{"reply":"Again"}`, http.StatusConflict)
	s.Call("editor", "GET", "/api/v1/media/inquiries/99999", "", http.StatusNotFound)
}
