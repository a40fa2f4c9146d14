package crises_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/crises"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/api/plans"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/clock"
)

func TestDeclareValidation(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")
	future := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-3 * time.Hour).UTC().Format(time.RFC3339)
	ok := apptest.DeclareJSON(typhoon, "II")
	cases := []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"level V", "commander", apptest.DeclareJSON(typhoon, "V"), 422, "body.level"},
		{"level as a number", "commander", apptest.DeclareJSON(typhoon, "2"), 422, "body.level"},
		{"future occurred_at", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":%q}`, typhoon, future), 422, "body.occurred_at"},
		{"occurred_at not RFC 3339", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":"yesterday"}`, typhoon), 422, "body.occurred_at"},
		{"detected before it occurred", "commander", fmt.Sprintf(`{"title":"T","type_id":%d,"level":"I","location":"Central","occurred_at":%q,"detected_at":%q}`,
			typhoon, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), past), 422, "body.detected_at"},
		{"no location", "commander", strings.Replace(ok, `"Central"`, `" "`, 1), 422, "body.location"},
		{"unknown type", "commander", apptest.DeclareJSON(99999, "II"), 422, "body.type_id"},
		{"editor may not declare", "editor", ok, 403, ""},
		{"admin may not declare", "admin", ok, 403, ""},
		{"commander declares", "commander", ok, 201, ""},
	}
	for _, c := range cases {
		w := e.Do(c.who, "POST", "/api/v1/crises", c.body)
		if w.Status != c.want {
			t.Errorf("%s: %d, want %d; %.400s", c.name, w.Status, c.want, w.Body)
			continue
		}
		if w.Status >= 400 {
			if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
			continue
		}
		cr := apptest.Decode[crises.Crisis](t, w)
		if w.Header.Get("Location") != fmt.Sprintf("/api/v1/crises/%d", cr.ID) || cr.Level != "II" || cr.Colour != "orange" ||
			cr.Status != "declared" || !cr.Exercise || cr.DeclaredBy != e.Users["commander"].ID {
			t.Errorf("%s: %s (Location %q)", c.name, w.Body, w.Header.Get("Location"))
		}
	}
	if got := apptest.Decode[kit.List[crises.Crisis]](t, e.Do("observer", "GET", "/api/v1/crises?open=true", "")); got.Total != 1 {
		t.Errorf("open crises: %+v", got)
	}
}

func TestCrisisLifecycle(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")
	approved := e.ApprovedPlan("typhoon-main", typhoon)
	draft := apptest.Decode[plans.Plan](t, e.Do("editor", "POST", "/api/v1/plans", apptest.PlanJSON("typhoon-alt", typhoon, "", "")))
	fire := e.ApprovedPlan("fire-main", e.TypeID("fire"))
	cr := apptest.Decode[crises.Crisis](t, e.Do("commander", "POST", "/api/v1/crises", apptest.DeclareJSON(typhoon, "II")))
	path := fmt.Sprintf("/api/v1/crises/%d", cr.ID)
	// taskPath is the task of plan step key: w1 is the commander's, r2 the
	// liaison's.
	taskPath := func(key string) string {
		tasks := apptest.Decode[kit.List[crises.Task]](t, e.Do("observer", "GET", path+"/tasks", ""))
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
		{"observer may not activate", "observer", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved), 403, ""},
		{"unapproved plan", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, draft.ID), 409, ""},
		{"plan for another type", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, fire), 422, "body.plan_id"},
		{"no such plan", "commander", "POST", path + "/activate", `{"plan_id":99999}`, 422, "body.plan_id"},
		{"no such crisis", "commander", "POST", "/api/v1/crises/99999/activate", fmt.Sprintf(`{"plan_id":%d}`, approved), 404, ""},
		{"recover before activation", "commander", "POST", path + "/recover", `{}`, 409, ""},
		{"activate", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved), 200, ""},
		{"activate twice", "commander", "POST", path + "/activate", fmt.Sprintf(`{"plan_id":%d}`, approved), 409, ""},
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
		w := e.Do(c.who, c.method, c.path, c.body)
		if w.Status != c.want {
			t.Errorf("%s: %s %s as %s = %d, want %d; %.400s", c.name, c.method, c.path, c.who, w.Status, c.want, w.Body)
			continue
		}
		if w.Status >= 400 {
			if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
		}
	}

	got := apptest.Decode[crises.Crisis](t, e.Do("observer", "GET", path, ""))
	if got.Status != "closed" || got.Level != "I" || got.Colour != "red" || got.PlanID != approved ||
		got.ClosedAt == nil || got.ClosingNote != "No injuries" || got.TimeToActivateSeconds == nil {
		t.Errorf("closed crisis: %+v", got)
	}
	tasks := apptest.Decode[kit.List[crises.Task]](t, e.Do("observer", "GET", path+"/tasks", ""))
	var keys []string
	for _, tk := range tasks.Items {
		keys = append(keys, tk.StepKey+":"+string(tk.Level))
	}
	// Level II made both steps; raising to I added none of theirs twice.
	if tasks.Total != 2 || !tasks.Items[0].Done || tasks.Items[0].DoneAt == nil || len(tasks.Items[0].Checklist) != 2 {
		t.Errorf("tasks %v: %+v", keys, tasks.Items)
	}
	tl := apptest.Decode[kit.List[crises.Entry]](t, e.Do("observer", "GET", path+"/timeline", ""))
	var events []string
	for _, en := range tl.Items {
		events = append(events, en.Kind+":"+en.Event)
	}
	if len(tl.Items) < 6 || tl.Items[0].Event != "declared" || !strings.Contains(strings.Join(events, " "), "human:") {
		t.Errorf("timeline %v", events)
	}

	// System entries carry their message key and arguments, and their text
	// in the caller's language.
	for _, tc := range []struct{ accept, want string }{
		{"", "級別由 II 變更為 I：Signal 10"}, // the default language
		{"en", "Level changed from II to I: Signal 10"},
		{"zh-HK", "級別由 II 變更為 I：Signal 10"},
		{"zh-CN", "级别由 II 变更为 I：Signal 10"},
	} {
		req := e.Request("observer", "GET", path+"/timeline", "", nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		var level *crises.Entry
		for _, en := range apptest.Decode[kit.List[crises.Entry]](t, e.Serve(req)).Items {
			if en.Event == "level" {
				level = &en
			}
		}
		if level == nil || level.Key != "systext.level_tasks" || level.Args["Reason"] != "Signal 10" ||
			!strings.HasPrefix(level.Text, tc.want) {
			t.Errorf("Accept-Language %q: level entry %+v, want text beginning %q", tc.accept, level, tc.want)
		}
	}
}

// The crisis JSON carries its clocks, each with its state computed with
// the app's clock.
func TestCrisisClocks(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	e := apptest.NewStaff(t, apptest.Options{Clock: clk})
	crisisID, _ := e.CrisisWithPlan()
	path := fmt.Sprintf("/api/v1/crises/%d", crisisID)
	raw := apptest.Decode[map[string]any](t, e.Call("observer", "GET", path, "", http.StatusOK))
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
	clk.Advance(48 * time.Hour)
	got := apptest.Decode[crises.Crisis](t, e.Do("observer", "GET", path, ""))
	for _, c := range got.Clocks {
		want := "overdue"
		if c.Name == "activation" {
			want = "met"
		}
		if string(c.State) != want {
			t.Errorf("after two days %s is %s, want %s", c.Name, c.State, want)
		}
	}
	if tk := apptest.Decode[kit.List[crises.Task]](t, e.Do("observer", "GET", path+"/tasks", "")); tk.Items[0].State != "overdue" {
		t.Errorf("task state %s, want overdue", tk.Items[0].State)
	}
}

// A viewer of a crisis's event stream hears of a task ticked elsewhere.
func TestCrisisEventStream(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	task := apptest.Decode[kit.List[crises.Task]](t, e.Do("observer", "GET", fmt.Sprintf("/api/v1/crises/%d/tasks", crisisID), "")).Items[0]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/crises/%d/events", e.URL, crisisID), nil)
	req.Header.Set("Authorization", "Bearer "+e.Tokens["observer"])
	resp, err := http.DefaultClient.Do(req)
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
	e.Call("commander", "PATCH", fmt.Sprintf("/api/v1/tasks/%d", task.ID), fmt.Sprintf(`{"done":true,"version":%d}`, task.Version), http.StatusOK)
	waitFor("event: task")
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), `data: {"type":"task","id":`+fmt.Sprint(task.ID)) {
		t.Errorf("event data %q", lines.Text())
	}

	if w := e.Do("observer", "GET", "/api/v1/crises/99999/events", ""); w.Status != http.StatusNotFound {
		t.Errorf("events of no crisis: %d %s", w.Status, w.Body)
	}
	if w := e.Do(apptest.Anonymous, "GET", fmt.Sprintf("/api/v1/crises/%d/events", crisisID), ""); w.Status != http.StatusUnauthorized {
		t.Errorf("anonymous events: %d", w.Status)
	}
}

func TestOpenAPIDocumentsEventStream(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	doc := apptest.Decode[struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}](t, e.Do(apptest.Anonymous, "GET", "/api/v1/openapi.json", ""))
	ok := doc.Paths["/crises/{id}/events"]["get"].Responses["200"].Content
	if _, found := ok["text/event-stream"]; !found || len(ok) != 1 {
		t.Errorf("events 200 content %v, want text/event-stream only", ok)
	}
}

// The plan's clocks count from the occurrence, or from detection when the
// occurrence is left out (occurred_at null, clocks_from "detected"); the
// crisis carries both figures; a commander may put it on the public site
// before its first notice, once.
func TestCrisisClocksFromTheOccurrence(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")
	detected := time.Now().Add(-5 * time.Minute).UTC().Truncate(time.Second)
	w := e.Do("commander", "POST", "/api/v1/crises", fmt.Sprintf(`{"title":"Gas smell","type_id":%d,"level":"III","location":"Mong Kok","detected_at":%q}`,
		typhoon, detected.Format(time.RFC3339)))
	if w.Status != http.StatusCreated {
		t.Fatalf("declare without an occurrence: %d %s", w.Status, w.Body)
	}
	cr := apptest.Decode[crises.Crisis](t, w)
	if cr.OccurredAt != nil || cr.ClocksFrom != "detected" || cr.PublicSince != nil {
		t.Fatalf("crisis %s", w.Body)
	}
	for _, k := range cr.Clocks {
		if (k.Name == "activation" || k.Name == "first_notice") && (k.Basis != "detected" || !k.StartedAt.Equal(detected)) {
			t.Errorf("clock %+v, want from the detection", k)
		}
	}
	if !strings.Contains(w.Body, `"occurred_at":null`) {
		t.Errorf("occurred_at is not null: %s", w.Body)
	}

	occurred := time.Now().Add(-40 * time.Minute).UTC().Format(time.RFC3339)
	late := apptest.Decode[crises.Crisis](t, e.Do("commander", "POST", "/api/v1/crises",
		fmt.Sprintf(`{"title":"Landslide","type_id":%d,"level":"II","location":"Po Shan Road","occurred_at":%q}`, typhoon, occurred)))
	for _, k := range late.Clocks {
		if k.Name == "first_notice" && (k.State != "overdue" || k.Basis != "occurred") {
			t.Errorf("first-notice clock of a crisis that occurred 40 minutes ago: %+v", k)
		}
	}

	path := fmt.Sprintf("/api/v1/crises/%d/show-public", cr.ID)
	e.Call("editor", "POST", path, "", http.StatusForbidden)
	shown := apptest.Decode[crises.Crisis](t, e.Call("commander", "POST", path, "", http.StatusOK))
	if shown.PublicSince == nil {
		t.Fatalf("shown: public_since %v", shown.PublicSince)
	}
	e.Call("commander", "POST", path, "", http.StatusConflict)
}

// A single crisis carries its information-accuracy figure: its public
// statements, and how many were corrected for a factual error.
func TestCrisisAccuracy(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{NoStart: true})
	crisisID, _ := e.CrisisWithPlan()
	path := fmt.Sprintf("/api/v1/crises/%d", crisisID)
	if cr := apptest.Decode[crises.Crisis](t, e.Call("observer", "GET", path, "", http.StatusOK)); cr.Accuracy == nil ||
		*cr.Accuracy != (crises.Accuracy{}) {
		t.Fatalf("accuracy before any notice: %+v", cr.Accuracy)
	}
	first := e.Published(apptest.NoticeJSON(crisisID))
	e.Published(apptest.NoticeJSON(crisisID, "Typhoon warning", "Typhoon update"))
	corr := apptest.Decode[struct {
		ID int64 `json:"id"`
	}](t, e.Call("editor", "POST", fmt.Sprintf("/api/v1/notices/%d/correct", first), `{"reason":"factual"}`, http.StatusCreated))
	np := fmt.Sprintf("/api/v1/notices/%d", corr.ID)
	e.Call("editor", "POST", np+"/submit", `{}`, http.StatusOK)
	e.Call("approver", "POST", np+"/approve", `{}`, http.StatusOK)
	e.Call("approver", "POST", np+"/publish", "", http.StatusOK)
	cr := apptest.Decode[crises.Crisis](t, e.Call("observer", "GET", path, "", http.StatusOK))
	if cr.Accuracy == nil || *cr.Accuracy != (crises.Accuracy{PublicStatements: 2, FactualCorrections: 1}) {
		t.Fatalf("accuracy %+v, want 1 of 2 statements corrected", cr.Accuracy)
	}
}
