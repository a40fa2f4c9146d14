package crises_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/sheet/xlsx"
)

// declareForm is a valid declaration of the seeded typhoon type.
func declareForm(e *apptest.Env, title string) url.Values {
	return url.Values{"title": {title}, "type_id": {fmt.Sprint(e.Typhoon().ID)}, "level": {"III"}, "location": {"Harbour"},
		"occurred_at": {time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04")}, "tz": {"0"}, "summary": {"Signal 8 hoisted"}}
}

// crisisID reads the crisis id from a redirect to its room.
func crisisID(t *testing.T, res apptest.Response) string {
	t.Helper()
	m := regexp.MustCompile(`^/desk/crises/(\d+)\?done=declared$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("declare: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	return m[1]
}

func TestDeclareActivateTickTimeline(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World() // a signed typhoon plan
	boss, _ := e.SignedIn("boss", authz.Commander)
	editor, _ := e.SignedIn("editor", authz.Editor)
	// The operations room is the commanders' task: the deputy ticks it.
	worker, _ := e.SignedIn("worker", authz.Commander)

	id := crisisID(t, boss.PostForm("/desk/crises/new", declareForm(e, "Typhoon Saola")))
	room := "/desk/crises/" + id
	res := boss.Get(room + "?done=declared")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "Typhoon Saola", `class="level-badge level-bg-yellow"`, "Plan activation", "First public notice",
		`data-live="/desk/crises/`+id+`/events"`, `id="activate-form"`, "Typhoon plan")

	res = boss.PostForm(room+"/activate", url.Values{"plan_id": {fmt.Sprint(w.Plan.ID)}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = editor.Get(room)
	apptest.WantBody(t, res, "Open the operations room", "Warn the district offices", "Response under way")
	if strings.Contains(res.Body, `id="activate-form"`) {
		t.Error("an editor sees the commander's actions")
	}
	res = worker.Get(room)

	// Tick the task the plain way, without script.
	task := regexp.MustCompile(`action="/desk/tasks/(\d+)/done"[^>]*>\s*<input type="hidden" name="csrf_token" value="[^"]*">\s*<input type="hidden" name="version" value="(\d+)">\s*<input type="checkbox" id="task-\d+-done" name="done" value="1">\s*<label for="task-\d+-done" class="task-title">Open the operations room`).FindStringSubmatch(res.Body)
	if task == nil {
		t.Fatalf("no form for the task\n%s", apptest.Snippet(res.Body))
	}
	res = worker.PostForm("/desk/tasks/"+task[1]+"/done", url.Values{"done": {"1"}, "version": {task[2]}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if want := room + "#task-" + task[1]; res.Location() != want {
		t.Errorf("Location %q, want %q", res.Location(), want)
	}
	res = boss.Get(room + "/fragment/timeline")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="crisis-timeline"`, "Task done: Open the operations room", "worker")
	if strings.Contains(res.Body, "<html") {
		t.Error("a fragment came with the layout")
	}
	apptest.WantBody(t, boss.Get(room+"/fragment/people"), "worker")

	// The same tick again from a stale page is refused, with the state now.
	res = worker.PostForm("/desk/tasks/"+task[1]+"/done", url.Values{"version": {task[2]}})
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "Someone else changed this task a moment ago.")

	// htmx: the answer is the task list to swap in.
	req, _ := http.NewRequest(http.MethodPost, worker.Base+"/desk/tasks/"+task[1]+"/check/0",
		strings.NewReader(url.Values{"done": {"1"}, "version": {fmt.Sprint(mustAtoi(task[2]) + 1)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set(session.CSRFHeader, worker.CSRF())
	res = worker.Do(req)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<section id="crisis-tasks"`, `id="task-`+task[1]+`-check-0" name="done" value="1" checked`)
	if strings.Contains(res.Body, `id="task-error"`) {
		t.Errorf("checklist tick refused:\n%s", res.Body)
	}
}

func mustAtoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func TestCrisisPermissions(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	liaison, _ := e.SignedIn("liaison", authz.Liaison)
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)

	apptest.WantStatus(t, watcher.PostForm("/desk/crises/new", declareForm(e, "Nope")), http.StatusForbidden)
	apptest.WantStatus(t, liaison.PostForm(room+"/close", url.Values{"summary": {"done"}}), http.StatusForbidden)
	apptest.WantStatus(t, watcher.PostForm(fmt.Sprintf("/desk/tasks/%d/done", w.Tasks[0].ID), url.Values{"done": {"1"}, "version": {"1"}}), http.StatusForbidden)
	apptest.WantStatus(t, watcher.PostForm(room+"/timeline", url.Values{"text": {"hi"}}), http.StatusForbidden)
	res := watcher.Get(room)
	apptest.WantStatus(t, res, http.StatusOK)
	for _, hidden := range []string{`id="note-form"`, `id="close-form"`, `id="task-` + fmt.Sprint(w.Tasks[0].ID) + `-save"`} {
		if strings.Contains(res.Body, hidden) {
			t.Errorf("an observer sees %s", hidden)
		}
	}
	// Navigation shows what the role may open.
	apptest.WantBody(t, res, `id="nav-crises"`, `id="nav-plans"`, `id="nav-catalog"`)
}

func TestDeclareRefusals(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	boss, _ := e.SignedIn("boss", authz.Commander)
	f := declareForm(e, "")
	f.Set("occurred_at", "yesterday-ish")
	f.Set("level", "V")
	res := boss.PostForm("/desk/crises/new", f)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Enter a title of 1–200 characters.", "Enter when it happened, not in the future.", "Choose level I, II, III or IV.")
}

func TestExerciseAndEscaping(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	boss, _ := e.SignedIn("boss", authz.Commander)
	f := declareForm(e, `<script>alert("x")</script>`)
	f.Set("exercise", "1")
	id := crisisID(t, boss.PostForm("/desk/crises/new", f))
	for _, path := range []string{"/desk/crises/" + id, "/desk/crises", "/desk"} {
		res := boss.Get(path)
		apptest.WantStatus(t, res, http.StatusOK)
		apptest.WantBody(t, res, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", `class="badge exercise">EXERCISE`)
		if strings.Contains(res.Body, `<script>alert`) {
			t.Errorf("%s: the title is not escaped", path)
		}
	}
	apptest.WantBody(t, boss.Get("/desk/crises/"+id), `id="exercise-banner"`)
}

func TestTimelineNoteCSVAndAttachment(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	worker, _ := e.SignedIn("worker", authz.Editor)
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField(session.CSRFField, worker.CSRF())
	_ = mw.WriteField("text", "=HYPERLINK(\"x\") 港口水浸")
	fw, _ := mw.CreateFormFile("attachment", "報告.txt")
	fw.Write([]byte("situation report"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, worker.Base+room+"/timeline", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res := worker.Do(req)
	apptest.WantStatus(t, res, http.StatusSeeOther)

	res = worker.Get(room)
	m := regexp.MustCompile(`href="(` + room + `/attachments/\d+)">報告.txt</a>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no attachment link\n%s", apptest.Snippet(res.Body))
	}
	att := worker.Get(m[1])
	apptest.WantStatus(t, att, http.StatusOK)
	if att.Body != "situation report" || !strings.Contains(att.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("attachment: %q %v", att.Body, att.Header)
	}
	apptest.WantStatus(t, worker.Get(fmt.Sprintf("/desk/crises/%d/attachments/%d", w.Crisis.ID+1, w.Note.ID)), http.StatusNotFound)

	// An empty note is refused beside the form.
	res = worker.PostForm(room+"/timeline", url.Values{"text": {"  "}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="note-error"`)

	csv := worker.Get(room + "/timeline.csv")
	apptest.WantStatus(t, csv, http.StatusOK)
	if !strings.HasPrefix(csv.Body, "\ufeffTime (UTC),Kind,Event,By,Text,Attachment\n") {
		t.Errorf("CSV head: %q", csv.Body[:min(80, len(csv.Body))])
	}
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{"system,declared,", "Photo of the harbour,harbour.txt", `"'=HYPERLINK(""x"") 港口水浸",報告.txt`} {
		if !strings.Contains(csv.Body, want) {
			t.Errorf("CSV lacks %q\n%s", want, csv.Body)
		}
	}
	apptest.WantBody(t, worker.Get(room+"/timeline/print"), "Photo of the harbour", "港口水浸")

	// The same as a workbook: strings only, the formula neutralised.
	book := worker.Get(room + "/timeline.xlsx")
	apptest.WantStatus(t, book, http.StatusOK)
	if ct, cd := book.Header.Get("Content-Type"), book.Header.Get("Content-Disposition"); ct != xlsx.ContentType || !strings.Contains(cd, ".xlsx") {
		t.Errorf("workbook headers %q %q", ct, cd)
	}
	rows := apptest.XLSXRows(t, []byte(book.Body), "Timeline")
	if len(rows) < 2 || rows[0][0] != "Time (UTC)" || !slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) > 4 && r[4] == `'=HYPERLINK("x") 港口水浸`
	}) {
		t.Errorf("workbook rows %q", rows)
	}
}

func TestCommanderActions(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, _ := e.SignedIn("boss", authz.Commander)
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)

	res := boss.PostForm(room+"/level", url.Values{"level": {"III"}, "reason": {"same"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "The crisis is already at this level.")
	res = boss.PostForm(room+"/level", url.Values{"level": {"II"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Say why the level changes.")
	apptest.WantStatus(t, boss.PostForm(room+"/level", url.Values{"level": {"II"}, "reason": {"Signal 9"}}), http.StatusSeeOther)
	apptest.WantBody(t, boss.Get(room), `class="level-badge level-bg-orange"`, "Level changed from III to II: Signal 9")

	// Activating again is refused: a plan is already activated.
	res = boss.PostForm(room+"/activate", url.Values{"plan_id": {fmt.Sprint(w.Plan.ID)}})
	apptest.WantStatus(t, res, http.StatusConflict)

	res = boss.PostForm(room+"/recover", nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = boss.PostForm(room+"/close", url.Values{"summary": {" "}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Write a closing summary.")
	apptest.WantStatus(t, boss.PostForm(room+"/close", url.Values{"summary": {"All clear"}}), http.StatusSeeOther)
	res = boss.Get(room)
	apptest.WantBody(t, res, "Closed", "All clear", `id="review-link"`)

	res = boss.Get(room + "/review")
	apptest.WantStatus(t, res, http.StatusOK)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(res.Body)
	if version == nil {
		t.Fatalf("no version in the review form\n%s", apptest.Snippet(res.Body))
	}
	res = boss.PostForm(room+"/review", url.Values{"version": {version[1]}, "lessons": {"Radios failed"},
		"items[0].text": {"Buy radios"}, "items[0].due": {"2027-01-31"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = boss.Get(room + "/review")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "Radios failed", `value="Buy radios"`, `value="2027-01-31"`)
	// A stale review save is refused.
	res = boss.PostForm(room+"/review", url.Values{"version": {version[1]}, "lessons": {"Other"}})
	apptest.WantStatus(t, res, http.StatusConflict)
}

// TestCrisisEvents reads the live stream while a task is ticked.
func TestCrisisEvents(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	viewer, _ := e.SignedIn("viewer", authz.Observer)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, viewer.Base+fmt.Sprintf("/desk/crises/%d/events", w.Crisis.ID), nil)
	res, err := viewer.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("stream: %d %q", res.StatusCode, ct)
	}
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() && lines.Text() != ": connected" {
	}
	if e.App.Live.Subscribers(live.CrisisTopic(w.Crisis.ID)) != 1 {
		t.Fatalf("subscribers: %d", e.App.Live.Subscribers(live.CrisisTopic(w.Crisis.ID)))
	}
	apptest.WantBody(t, viewer.Get(fmt.Sprintf("/desk/crises/%d/fragment/people", w.Crisis.ID)), "1 person is viewing this page now")

	if _, err := e.Store.Crises().SetTaskDone(context.Background(), apptest.As(w.Commander), w.Tasks[0].ID, true, w.Tasks[0].Version); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		if lines.Text() == "event: task" {
			return
		}
	}
	t.Fatalf("no task event before the stream ended: %v", lines.Err())
}

// TestTaskOwnershipInTheRoom shows each task read-only to whoever may not
// tick it (crisis.CanWork), and refuses their tick with 403, by form and by
// htmx alike; its owner and the commanders tick it.
func TestTaskOwnershipInTheRoom(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World() // "Open the operations room" is the commanders', "Warn the district offices" the liaisons'
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)
	task := map[string]int64{}
	for _, tk := range w.Tasks {
		task[tk.Title] = tk.ID
	}
	const ops, warn = "Open the operations room", "Warn the district offices"
	cases := []struct {
		name string
		role authz.Role
		may  map[string]bool
	}{
		{"commander", authz.Commander, map[string]bool{ops: true, warn: true}},
		{"liaison", authz.Liaison, map[string]bool{ops: false, warn: true}},
		{"editor", authz.Editor, map[string]bool{ops: false, warn: false}},
		{"observer", authz.Observer, map[string]bool{ops: false, warn: false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			who, _ := e.SignedIn("owner-"+c.name, c.role)
			for _, title := range []string{ops, warn} {
				id := task[title]
				tk, err := e.Store.Crises().Task(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				page := who.Get(room)
				box := regexp.MustCompile(`<input type="checkbox" id="task-` + fmt.Sprint(id) + `-done"[^>]*>`).FindString(page.Body)
				if box == "" {
					t.Fatalf("no checkbox for %s", title)
				}
				if disabled := strings.Contains(box, " disabled"); disabled == c.may[title] {
					t.Errorf("%s: the checkbox of %q is %s", c.name, title, box)
				}
				notYours := strings.Contains(page.Body, `id="task-`+fmt.Sprint(id)+`-not-yours"`)
				if want := !c.may[title] && authz.Can(c.role, authz.WorkTasks); notYours != want {
					t.Errorf("%s: the note on %q shown %v, want %v", c.name, title, notYours, want)
				}
				res := who.PostForm(fmt.Sprintf("/desk/tasks/%d/done", id), url.Values{"done": {"1"}, "version": {fmt.Sprint(tk.Version)}})
				want := http.StatusForbidden
				if c.may[title] {
					want = http.StatusSeeOther
				}
				if res.Status != want {
					t.Errorf("%s ticks %q: %d, want %d", c.name, title, res.Status, want)
				}
				if c.may[title] {
					if tk, err = e.Store.Crises().Task(context.Background(), id); err != nil {
						t.Fatal(err)
					}
				}
				res = who.Scripted(http.MethodPost, fmt.Sprintf("/desk/tasks/%d/check/0", id), url.Values{"done": {"1"}, "version": {fmt.Sprint(tk.Version)}})
				switch {
				case !c.may[title] && res.Status != http.StatusForbidden:
					t.Errorf("%s ticks %q's checklist by htmx: %d, want 403", c.name, title, res.Status)
				case c.may[title] && title == ops && res.Status != http.StatusOK:
					t.Errorf("%s ticks %q's checklist by htmx: %d", c.name, title, res.Status)
				}
				if c.may[title] { // untick, for the next case
					now, err := e.Store.Crises().Task(context.Background(), id)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := e.Store.Crises().SetTaskDone(context.Background(), apptest.As(w.Commander), id, false, now.Version); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}
