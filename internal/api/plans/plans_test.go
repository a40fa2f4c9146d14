package plans_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/api/plans"
	"crisisdesk/internal/app/apptest"
)

func TestPlanSignOff(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")

	w := e.Do("editor", "POST", "/api/v1/plans", apptest.PlanJSON("typhoon-main", typhoon, "", ""))
	if w.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Status, w.Body)
	}
	p := apptest.Decode[plans.Plan](t, w)
	path := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	if loc := w.Header.Get("Location"); loc != path {
		t.Errorf("Location = %q, want %s", loc, path)
	}
	b := p.Body
	if p.Status != "draft" || p.Version != 1 || p.AuthorID != e.Users["editor"].ID || p.SubmittedAt != nil ||
		len(b.Steps) != 2 || b.Steps[0].Deadline != "30m" || strings.Join(levelStrings(b.Steps[0].Levels), ",") != "I,II" ||
		b.Steps[0].Key == "" || b.Activation.I != "Signal 10" || b.FirstNoticeDue != "45m" || b.ActivationDeadline != "1d" ||
		b.ReviewMonths != 12 || b.Matrix[0].Cadence != "1h" || b.Templates[0].Level != "II" {
		t.Fatalf("created plan: %s", w.Body)
	}

	// Two editors on one draft: the second save, on the old lock, is refused.
	save := func(lock int64, steps, templates string) string {
		body := apptest.PlanJSON("ignored", typhoon, steps, templates)
		return fmt.Sprintf(`{"title":"Typhoon response v1","lock":%d,%s`, lock, body[strings.Index(body, `"body":`):])
	}
	saved := apptest.Decode[plans.Plan](t, e.Do("commander", "PUT", path, save(p.Lock, "", "")))
	if saved.Lock == p.Lock || saved.Title != "Typhoon response v1" || saved.ID != p.ID {
		t.Fatalf("save: %+v", saved)
	}

	badDeadline := `[{"phase":"warning","title":"A","levels":["I"],"owner_role":"commander","deadline":"30m"},
		{"phase":"response","title":"B","levels":["I"],"owner_role":"liaison","deadline":"30m"},
		{"phase":"recovery","title":"C","levels":["I"],"owner_role":"liaison","deadline":"soon"}]`
	badPlaceholder := `[{"level":"I","audience":"public","headline":"At {{location}}","body":"Call {{mayor}}"}]`
	cases := []struct {
		name, who, method, path, body string
		want                          int
		loc                           string // an errors[].location that must be present
		detail                        string // a part of the detail
	}{
		{"stale lock", "editor", "PUT", path, save(p.Lock, "", ""), 409, "", "saved by someone else"},
		{"bad deadline", "editor", "PUT", path, save(saved.Lock, badDeadline, ""), 422, "body.body.steps[2].deadline", ""},
		{"unknown placeholder", "editor", "PUT", path, save(saved.Lock, "", badPlaceholder), 422, "body.body.templates[0].body", ""},
		{"bad step level", "editor", "POST", "/api/v1/plans", apptest.PlanJSON("y", typhoon, `[{"phase":"warning","title":"A","levels":["V"],"owner_role":"commander","deadline":"1h"}]`, ""), 422, "body.body.steps[0].levels[0]", ""},
		{"no title", "editor", "POST", "/api/v1/plans", strings.Replace(apptest.PlanJSON("z", typhoon, "", ""), `"Typhoon response"`, `" "`, 1), 422, "body.title", ""},
		{"unknown type", "editor", "POST", "/api/v1/plans", apptest.PlanJSON("z", 99999, "", ""), 422, "body.type_id", ""},
		{"reviewer may not draft", "reviewer", "POST", "/api/v1/plans", apptest.PlanJSON("z", typhoon, "", ""), 403, "", ""},
		{"review before submit", "reviewer", "POST", path + "/review", `{}`, 409, "", "only a submitted plan"},
		{"submit", "editor", "POST", path + "/submit", `{"comment":"ready"}`, 200, "", ""},
		{"no edits once submitted", "editor", "PUT", path, save(saved.Lock, "", ""), 409, "", ""},
		{"approve before review", "approver", "POST", path + "/approve", `{}`, 409, "", "only a reviewed plan"},
		{"return needs a reason", "reviewer", "POST", path + "/return", `{"comment":" "}`, 422, "body.comment", ""},
		{"editor may not review", "editor", "POST", path + "/review", `{}`, 403, "", ""},
		{"review", "reviewer", "POST", path + "/review", `{"comment":"checked"}`, 200, "", ""},
		{"reviewer may not approve", "reviewer", "POST", path + "/approve", `{}`, 403, "", ""},
		{"reviewer may not return what they reviewed", "reviewer", "POST", path + "/return", `{"comment":"x"}`, 403, "", ""},
		{"approver returns", "approver", "POST", path + "/return", `{"comment":"contacts out of date"}`, 200, "", ""},
		{"resubmit", "editor", "POST", path + "/submit", `{}`, 200, "", ""},
		{"review again", "reviewer", "POST", path + "/review", `{}`, 200, "", ""},
		{"approve", "approver", "POST", path + "/approve", `{"comment":"in force"}`, 200, "", ""},
		{"approved twice", "commander", "POST", path + "/approve", `{}`, 409, "", ""},
	}
	for _, c := range cases {
		w := e.Do(c.who, c.method, c.path, c.body)
		if w.Status != c.want {
			t.Errorf("%s: %s %s as %s = %d, want %d; %.400s", c.name, c.method, c.path, c.who, w.Status, c.want, w.Body)
			continue
		}
		if w.Status < 400 {
			continue
		}
		pb := apptest.WantProblem(t, w)
		if c.loc != "" && !pb.Has(c.loc) {
			t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
		}
		if !strings.Contains(pb.Detail, c.detail) {
			t.Errorf("%s: detail %q, want it to say %q", c.name, pb.Detail, c.detail)
		}
	}

	got := apptest.Decode[plans.Plan](t, e.Do("observer", "GET", path, ""))
	var signers []string
	for _, s := range got.Signatures {
		signers = append(signers, fmt.Sprintf("%s:%s", s.Action, s.Name))
	}
	if got.Status != "approved" || got.ReviewerID != e.Users["reviewer"].ID || got.ApproverID != e.Users["approver"].ID ||
		got.ApprovedAt == nil || got.ReviewDue == nil || got.Lapsed ||
		strings.Join(signers, " ") != "submit:u-editor review:u-reviewer return:u-approver submit:u-editor review:u-reviewer approve:u-approver" {
		t.Errorf("approved plan: %+v; signatures %v", got, signers)
	}

	// Editing the approved plan makes version 2, a draft; version 1 stays in force.
	w = e.Do("editor", "PUT", path, save(got.Lock, "", ""))
	v2 := apptest.Decode[plans.Plan](t, w)
	if w.Status != http.StatusOK || v2.ID == got.ID || v2.Version != 2 || v2.Status != "draft" || w.Header.Get("Content-Location") != fmt.Sprintf("/api/v1/plans/%d", v2.ID) {
		t.Errorf("edit approved: %d %s", w.Status, w.Body)
	}
	list := apptest.Decode[kit.List[plans.Plan]](t, e.Do("observer", "GET", "/api/v1/plans?current=true&status=approved", ""))
	if list.Total != 0 {
		t.Errorf("current approved plans: %+v, want none (v2 is the newest)", list)
	}
	list = apptest.Decode[kit.List[plans.Plan]](t, e.Do("observer", "GET", fmt.Sprintf("/api/v1/plans?type_id=%d&status=approved", typhoon), ""))
	if list.Total != 1 || list.Items[0].ID != got.ID {
		t.Errorf("approved typhoon plans: %+v", list)
	}
}

// An author who may also approve (a commander) still cannot approve their
// own plan: three different people sign. A reviewer sends a plan back with
// reasons, and it goes round again.
func TestPlanSelfApproval(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	p := apptest.Decode[plans.Plan](t, e.Do("commander", "POST", "/api/v1/plans", apptest.PlanJSON("own", e.TypeID("fire"), "", "")))
	path := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	e.Call("commander", "POST", path+"/submit", `{}`, http.StatusOK)
	if got := apptest.Decode[map[string]any](t, e.Call("reviewer", "POST", path+"/return", `{"comment":"name the shelters"}`, http.StatusOK)); got["status"] != "draft" {
		t.Fatalf("returned: %v", got)
	}
	e.Call("commander", "POST", path+"/submit", `{}`, http.StatusOK)
	e.Call("reviewer", "POST", path+"/review", `{}`, http.StatusOK)
	w := e.Do("commander", "POST", path+"/approve", `{}`)
	if w.Status != http.StatusForbidden {
		t.Fatalf("self-approval: %d %s", w.Status, w.Body)
	}
	if pb := apptest.WantProblem(t, w); !strings.Contains(pb.Detail, "three different people") {
		t.Errorf("self-approval detail %q does not say why", pb.Detail)
	}
	if got := apptest.Decode[plans.Plan](t, e.Do("commander", "GET", path, "")); got.Status != "reviewed" || got.ApproverID != 0 {
		t.Errorf("after refusal: %+v", got)
	}
	got := apptest.Decode[plans.Plan](t, e.Do("approver", "POST", path+"/approve", `{}`))
	var actions []string
	for _, s := range got.Signatures {
		actions = append(actions, s.Action+":"+s.Comment)
	}
	if got.Status != "approved" || strings.Join(actions, " ") != "submit: return:name the shelters submit: review: approve:" {
		t.Errorf("signatures %v, status %s", actions, got.Status)
	}
}

func TestCrisisTypes(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	body := `{"code":"landslide","category":"natural_disaster","name":{"en":"Landslide","zh-Hant":"山泥傾瀉"},
		"indicators":[{"en":"Cracks on slopes"}],"notify":["commander"]}`
	cases := []struct {
		name, who, method, path, body string
		want                          int
		loc                           string
	}{
		{"editor may not add", "editor", "POST", "/api/v1/crisis-types", body, 403, ""},
		{"commander adds", "commander", "POST", "/api/v1/crisis-types", body, 201, ""},
		{"code taken", "admin", "POST", "/api/v1/crisis-types", body, 422, "body.code"},
		{"unknown category", "admin", "POST", "/api/v1/crisis-types", strings.Replace(body, "natural_disaster", "weather", 1), 422, "body.category"},
		{"no name", "admin", "POST", "/api/v1/crisis-types", `{"code":"x","category":"accident","name":{}}`, 422, "body.name"},
	}
	for _, c := range cases {
		w := e.Do(c.who, c.method, c.path, c.body)
		if w.Status != c.want {
			t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
		} else if c.loc != "" && !apptest.WantProblem(t, w).Has(c.loc) {
			t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
		}
	}
	id := e.TypeID("landslide")
	path := fmt.Sprintf("/api/v1/crisis-types/%d", id)
	ct := apptest.Decode[plans.CrisisType](t, e.Do("liaison", "GET", path, ""))
	if ct.Name.En != "Landslide" || ct.Name.ZhHant != "山泥傾瀉" || len(ct.Indicators) != 1 || ct.Category != "natural_disaster" {
		t.Fatalf("get: %+v", ct)
	}
	upd := apptest.Decode[plans.CrisisType](t, e.Do("admin", "PATCH", path, fmt.Sprintf(`{"notify":["commander","public-works"],"version":%d}`, ct.Version)))
	if len(upd.Notify) != 2 || upd.Name.En != "Landslide" || upd.Version == ct.Version {
		t.Errorf("patch: %+v", upd)
	}
	if w := e.Do("admin", "PATCH", path, fmt.Sprintf(`{"notify":[],"version":%d}`, ct.Version)); w.Status != http.StatusConflict {
		t.Errorf("stale patch: %d %s", w.Status, w.Body)
	}
}

func levelStrings(ls []kit.Level) []string {
	return kit.Convert(ls, func(l kit.Level) string { return string(l) })
}
