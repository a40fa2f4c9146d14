package api

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// declareJSON is a declaration body for the type, at level, ten minutes
// ago: its first-notice clock (from the occurrence) is still running.
func declareJSON(typeID int64, level string) string {
	return fmt.Sprintf(`{"title":"Typhoon Mawar","type_id":%d,"level":%q,"exercise":true,"location":"Central",
		"area":"Hong Kong Island","summary":"Signal 8","occurred_at":%q}`,
		typeID, level, time.Now().Add(-10*time.Minute).UTC().Format(time.RFC3339))
}

func TestDeclareValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	typhoon := e.typeID("typhoon")
	future := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-3 * time.Hour).UTC().Format(time.RFC3339)
	ok := declareJSON(typhoon, "II")
	cases := []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"level V", "commander", declareJSON(typhoon, "V"), 422, "body.level"},
		{"level as a number", "commander", declareJSON(typhoon, "2"), 422, "body.level"},
		{"future occurred_at", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":%q}`, typhoon, future), 422, "body.occurred_at"},
		{"occurred_at not RFC 3339", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":"yesterday"}`, typhoon), 422, "body.occurred_at"},
		{"detected before it occurred", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":%q,"detected_at":%q}`,
			typhoon, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), past), 422, "body.detected_at"},
		{"no location", "commander", strings.Replace(ok, `"Central"`, `" "`, 1), 422, "body.location"},
		{"unknown type", "commander", declareJSON(99999, "II"), 422, "body.type_id"},
		{"editor may not declare", "editor", ok, 403, ""},
		{"admin may not declare", "admin", ok, 403, ""},
		{"commander declares", "commander", ok, 201, ""},
	}
	for _, c := range cases {
		w := e.do(c.who, "POST", "/api/v1/crises", c.body)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d; %.400s", c.name, w.Code, c.want, w.Body)
			continue
		}
		if w.Code >= 400 {
			if p := decodeProblem(t, w); c.loc != "" && !hasLocation(p, c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
			continue
		}
		cr := decode[Crisis](t, w.Body)
		if w.Header().Get("Location") != fmt.Sprintf("/api/v1/crises/%d", cr.ID) || cr.Level != "II" || cr.Colour != "orange" ||
			cr.Status != "declared" || !cr.Exercise || cr.DeclaredBy != e.users["commander"].ID {
			t.Errorf("%s: %s (Location %q)", c.name, w.Body, w.Header().Get("Location"))
		}
	}
	if got := decode[List[Crisis]](t, e.do("observer", "GET", "/api/v1/crises?open=true", "").Body); got.Total != 1 {
		t.Errorf("open crises: %+v", got)
	}
}

// crisisWithPlan declares a typhoon crisis and activates an approved plan.
func (e *env) crisisWithPlan() (Crisis, Plan) {
	e.t.Helper()
	typhoon := e.typeID("typhoon")
	p := e.approvedPlan("typhoon-main", typhoon)
	cr := decode[Crisis](e.t, e.do("commander", "POST", "/api/v1/crises", declareJSON(typhoon, "II")).Body)
	e.call("commander", "POST", fmt.Sprintf("/api/v1/crises/%d/activate", cr.ID), fmt.Sprintf(`{"plan_id":%d}`, p.ID), http.StatusOK)
	return decode[Crisis](e.t, e.do("observer", "GET", fmt.Sprintf("/api/v1/crises/%d", cr.ID), "").Body), p
}

func TestCrisisLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	typhoon := e.typeID("typhoon")
	approved := e.approvedPlan("typhoon-main", typhoon)
	draft := decode[Plan](t, e.do("editor", "POST", "/api/v1/plans", planJSON("typhoon-alt", typhoon, "", "")).Body)
	fire := e.approvedPlan("fire-main", e.typeID("fire"))
	cr := decode[Crisis](t, e.do("commander", "POST", "/api/v1/crises", declareJSON(typhoon, "II")).Body)
	path := fmt.Sprintf("/api/v1/crises/%d", cr.ID)
	// taskPath is the task of plan step key: w1 is the commander's, r2 the
	// liaison's.
	taskPath := func(key string) string {
		tasks := decode[List[Task]](t, e.do("observer", "GET", path+"/tasks", "").Body)
		for _, tk := range tasks.Items {
			if tk.StepKey == key {
				return fmt.Sprintf("/api/v1/tasks/%d", tk.ID)
			}
		}
		t.Fatalf("no task %s in %+v", key, tasks.Items)
		return ""
	}

	cases := []struct {
		name, who, method, path, body string
		want                          int
		loc                           string
	}{
		{"observer may not activate", "observer", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved.ID), 403, ""},
		{"unapproved plan", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, draft.ID), 409, ""},
		{"plan for another type", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, fire.ID), 422, "body.plan_id"},
		{"no such plan", "commander", "POST", path + "/activate", `{"plan_id":99999}`, 422, "body.plan_id"},
		{"no such crisis", "commander", "POST", "/api/v1/crises/99999/activate", fmt.Sprintf(`{"plan_id":%d}`, approved.ID), 404, ""},
		{"recover before activation", "commander", "POST", path + "/recover", `{}`, 409, ""},
		{"activate", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved.ID), 200, ""},
		{"activate twice", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved.ID), 409, ""},
		{"level V", "commander", "POST", path + "/level", `{"level":"V","reason":"worse"}`, 422, "body.level"},
		{"same level", "commander", "POST", path + "/level", `{"level":"II","reason":"same"}`, 422, "body.level"},
		{"level without reason", "commander", "POST", path + "/level", `{"level":"I"}`, 422, "body.reason"},
		{"editor may not change level", "editor", "POST", path + "/level", `{"level":"I","reason":"worse"}`, 403, ""},
		{"raise level", "commander", "POST", path + "/level", `{"level":"I","reason":"Signal 10"}`, 200, ""},
		{"liaison writes", "liaison", "POST", path + "/timeline", `{"text":"Shelters open"}`, 201, ""},
		{"empty note", "liaison", "POST", path + "/timeline", `{"text":"  "}`, 422, "body.text"},
		{"observer may not write", "observer", "POST", path + "/timeline", `{"text":"Hello"}`, 403, ""},
		{"observer may not tick", "observer", "PATCH", "TASK w1", `{"done":true,"version":1}`, 403, ""},
		{"liaison may not tick the commander's task", "liaison", "PATCH", "TASK w1", `{"done":true,"version":1}`, 403, ""},
		{"editor may not tick the liaison's task", "editor", "PATCH", "TASK r2", `{"done":true,"version":1}`, 403, ""},
		{"liaison ticks its own task", "liaison", "PATCH", "TASK r2", `{"done":true,"version":1}`, 200, ""},
		{"commander ticks any task", "commander", "PATCH", "TASK w1", `{"done":true,"version":1}`, 200, ""},
		{"stale tick", "commander", "PATCH", "TASK w1", `{"done":false,"version":1}`, 409, ""},
		{"recover", "commander", "POST", path + "/recover", `{"note":"Signal lowered"}`, 200, ""},
		{"close without summary", "commander", "POST", path + "/close", `{"summary":""}`, 422, "body.summary"},
		{"close", "commander", "POST", path + "/close", `{"summary":"No injuries"}`, 200, ""},
		{"close twice", "commander", "POST", path + "/close", `{"summary":"Again"}`, 409, ""},
	}
	for _, c := range cases {
		if key, ok := strings.CutPrefix(c.path, "TASK "); ok {
			c.path = taskPath(key)
		}
		w := e.do(c.who, c.method, c.path, c.body)
		if w.Code != c.want {
			t.Errorf("%s: %s %s as %s = %d, want %d; %.400s", c.name, c.method, c.path, c.who, w.Code, c.want, w.Body)
			continue
		}
		if w.Code >= 400 {
			if p := decodeProblem(t, w); c.loc != "" && !hasLocation(p, c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
		}
	}

	got := decode[Crisis](t, e.do("observer", "GET", path, "").Body)
	if got.Status != "closed" || got.Level != "I" || got.Colour != "red" || got.PlanID != approved.ID ||
		got.ClosedAt == nil || got.ClosingNote != "No injuries" || got.TimeToActivateSeconds == nil {
		t.Errorf("closed crisis: %+v", got)
	}
	tasks := decode[List[Task]](t, e.do("observer", "GET", path+"/tasks", "").Body)
	var keys []string
	for _, tk := range tasks.Items {
		keys = append(keys, tk.StepKey+":"+string(tk.Level))
	}
	// Level II made both steps; raising to I added none of theirs twice.
	if tasks.Total != 2 || !tasks.Items[0].Done || tasks.Items[0].DoneAt == nil || len(tasks.Items[0].Checklist) != 2 {
		t.Errorf("tasks %v: %+v", keys, tasks.Items)
	}
	tl := decode[List[Entry]](t, e.do("observer", "GET", path+"/timeline", "").Body)
	var events []string
	for _, en := range tl.Items {
		events = append(events, en.Kind+":"+en.Event)
	}
	if len(tl.Items) < 6 || tl.Items[0].Event != "declared" || !strings.Contains(strings.Join(events, " "), "human:") {
		t.Errorf("timeline %v", events)
	}
}

// The crisis JSON carries its clocks, each with its state computed with
// the API's clock.
func TestCrisisClocks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	path := fmt.Sprintf("/api/v1/crises/%d", cr.ID)
	raw := e.call("observer", "GET", path, "", http.StatusOK)
	if raw["time_to_activate_seconds"] == nil || raw["time_to_first_notice_seconds"] != nil {
		t.Errorf("KPIs: activate %v, first notice %v", raw["time_to_activate_seconds"], raw["time_to_first_notice_seconds"])
	}
	clocks, _ := raw["clocks"].([]any)
	states := map[string]string{}
	for _, c := range clocks {
		m := c.(map[string]any)
		for _, k := range []string{"name", "kind", "due_at", "met_at", "state"} {
			if _, ok := m[k]; !ok {
				t.Errorf("clock %v has no %s", m, k)
			}
		}
		name, _ := m["name"].(string)
		states[name], _ = m["state"].(string)
		if due, err := time.Parse(time.RFC3339Nano, m["due_at"].(string)); err != nil || due.IsZero() {
			t.Errorf("clock %s due_at %v", name, m["due_at"])
		}
		if (m["state"] == "met") != (m["met_at"] != nil) {
			t.Errorf("clock %s: state %v, met_at %v", name, m["state"], m["met_at"])
		}
	}
	if states["activation"] != "met" || states["first_notice"] != "pending" {
		t.Errorf("clock states %v", states)
	}
	count := map[string]int{}
	for name, state := range states {
		kind, _, _ := strings.Cut(name, ":")
		count[kind]++
		if (kind == "task" || kind == "cadence") && state != "pending" {
			t.Errorf("%s is %s", name, state)
		}
	}
	if count["task"] != 2 || count["cadence"] != 1 {
		t.Errorf("clocks %v: want 2 task clocks and 1 cadence clock", states)
	}

	// Two days on, the unmet clocks are overdue; the met one stays met.
	e.clock.Advance(48 * time.Hour)
	got := decode[Crisis](t, e.do("observer", "GET", path, "").Body)
	for _, c := range got.Clocks {
		want := clockState("overdue")
		if c.Name == "activation" {
			want = "met"
		}
		if c.State != want {
			t.Errorf("after two days %s is %s, want %s", c.Name, c.State, want)
		}
	}
	if tk := decode[List[Task]](t, e.do("observer", "GET", path+"/tasks", "").Body); tk.Items[0].State != "overdue" {
		t.Errorf("task state %s, want overdue", tk.Items[0].State)
	}
}

// A viewer of a crisis's event stream hears of a task ticked elsewhere.
func TestCrisisEventStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	task := decode[List[Task]](t, e.do("observer", "GET", fmt.Sprintf("/api/v1/crises/%d/tasks", cr.ID), "").Body).Items[0]
	srv := httptest.NewServer(e.h)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/crises/%d/events", srv.URL, cr.ID), nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["observer"])
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	waitFor := func(want string) {
		t.Helper()
		for lines.Scan() {
			if lines.Text() == want {
				return
			}
		}
		t.Fatalf("stream ended before %q: %v", want, lines.Err())
	}
	waitFor(": connected") // subscribed: what happens from now on is heard
	e.call("commander", "PATCH", fmt.Sprintf("/api/v1/tasks/%d", task.ID), fmt.Sprintf(`{"done":true,"version":%d}`, task.Version), http.StatusOK)
	waitFor("event: task")
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), `data: {"type":"task","id":`+fmt.Sprint(task.ID)) {
		t.Errorf("event data %q", lines.Text())
	}

	if w := e.do("observer", "GET", "/api/v1/crises/99999/events", ""); w.Code != http.StatusNotFound {
		t.Errorf("events of no crisis: %d %s", w.Code, w.Body)
	}
	if w := e.do(anonymous, "GET", fmt.Sprintf("/api/v1/crises/%d/events", cr.ID), ""); w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous events: %d", w.Code)
	}
}

func TestOpenAPIDocumentsEventStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	doc := decode[struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}](t, e.do(anonymous, "GET", "/api/v1/openapi.json", "").Body)
	ok := doc.Paths["/crises/{id}/events"]["get"].Responses["200"].Content
	if _, found := ok["text/event-stream"]; !found || len(ok) != 1 {
		t.Errorf("events 200 content %v, want text/event-stream only", ok)
	}
}
