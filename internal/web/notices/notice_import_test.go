package notices_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
)

// upstreamCAP is an upstream CAP 1.2 alert with status (Actual, Exercise …)
// and one info block in Traditional Chinese and one in English.
func upstreamCAP(status, headline string) string {
	note := ""
	if status == "Exercise" {
		note = "<note>drill</note>"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>HKO-2026-0917-1</identifier>
  <sender>warnings@weather.example.gov</sender>
  <sent>2026-09-17T06:40:00+08:00</sent>
  <status>` + status + `</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>` + note + `
  <info>
    <language>zh-Hant</language>
    <category>Met</category>
    <event>熱帶氣旋</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <effective>2026-09-17T06:40:00+08:00</effective>
    <expires>2026-09-17T18:40:00+08:00</expires>
    <headline>八號烈風或暴風信號</headline>
    <description>八號信號現正生效。</description>
    <area><areaDesc>香港</areaDesc><circle>22.3,114.17 50</circle></area>
  </info>
  <info>
    <language>en</language>
    <category>Met</category>
    <event>Tropical cyclone</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <headline>` + headline + `</headline>
    <description>Signal No. 8 is in force.</description>
    <instruction>Stay indoors.</instruction>
  </info>
</alert>`
}

func TestNoticeImportCAP(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)

	res := author.Get(fmt.Sprintf("/desk/notices/import?crisis=%d", w.Crisis.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="import-form"`, `enctype="multipart/form-data"`, `id="import-xml"`, `id="import-file"`,
		fmt.Sprintf(`<option value="%d" selected>`, w.Crisis.ID))

	// Pasted, for the crisis: a draft with both languages and the CAP fields.
	res = author.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Actual", "Gale or storm signal No. 8")},
		"crisis_id": {fmt.Sprint(w.Crisis.ID)}})
	n := draftCreated(t, e, res)
	if n.Status != notice.Draft || n.CrisisID != w.Crisis.ID || n.Audience != notice.Public || n.Exercise ||
		len(n.Contents) != 2 || n.Contents[0].Headline != "八號烈風或暴風信號" || n.Contents[1].Instruction != "Stay indoors." {
		t.Fatalf("imported %+v", n)
	}
	if n.CAP.Event != "熱帶氣旋" || n.CAP.Area.Circles[0] != "22.3,114.17 50" ||
		!n.CAP.Expires.Equal(time.Date(2026, 9, 17, 10, 40, 0, 0, time.UTC)) {
		t.Errorf("CAP %+v", n.CAP)
	}

	// Uploaded as a file, standalone.
	res = author.Upload("/desk/notices/import", "file", "signal8.xml", []byte(upstreamCAP("Actual", "Signal 8")), nil)
	if n := draftCreated(t, e, res); n.CrisisID != 0 || n.Contents[1].Headline != "Signal 8" {
		t.Errorf("uploaded %+v", n)
	}

	cases := []struct {
		name string
		send func() apptest.Response
		want []string
	}{
		{"nothing", func() apptest.Response { return author.PostForm("/desk/notices/import", url.Values{"xml": {"  "}}) },
			[]string{"Paste a CAP message or choose its file."}},
		{"not XML", func() apptest.Response { return author.PostForm("/desk/notices/import", url.Values{"xml": {"<alert"}}) },
			[]string{"The CAP message was refused:", `id="import-reasons"`, "malformed XML"}},
		{"a test message", func() apptest.Response {
			return author.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Test", "x")}})
		}, []string{`<code>status</code>: a Test message is not public information`}},
		{"a bad urgency, uploaded", func() apptest.Response {
			doc := strings.Replace(upstreamCAP("Actual", "x"), "<urgency>Expected</urgency>", "<urgency>Soon</urgency>", 1)
			return author.Upload("/desk/notices/import", "file", "bad.xml", []byte(doc), nil)
		}, []string{`<code>info[0].urgency</code>: &#34;Soon&#34; is not one of`, "&lt;urgency&gt;Soon&lt;/urgency&gt;"}},
		{"script in the document", func() apptest.Response {
			return author.PostForm("/desk/notices/import", url.Values{"xml": {`<script>alert(1)</script>`}})
		}, []string{"&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"}},
		{"both pasted and uploaded", func() apptest.Response {
			return author.Upload("/desk/notices/import", "file", "a.xml", []byte(upstreamCAP("Actual", "x")), url.Values{"xml": {"<alert/>"}})
		}, []string{"not both"}},
		{"a crisis that does not exist", func() apptest.Response {
			return author.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Actual", "x")}, "crisis_id": {"999999"}})
		}, []string{`id="import-crisis-error"`, "Choose a crisis from the list."}},
		{"an exercise for a real crisis", func() apptest.Response {
			return author.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Exercise", "x")}, "crisis_id": {fmt.Sprint(w.Crisis.ID)}})
		}, []string{`id="import-crisis-error"`, "This message is an exercise."}},
	}
	for _, c := range cases {
		res := c.send()
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422\n%s", c.name, res.Status, apptest.Snippet(res.Body))
			continue
		}
		if !strings.Contains(res.Body, `id="import-xml-error"`) && !strings.Contains(res.Body, `id="import-crisis-error"`) {
			t.Errorf("%s: no message beside a field", c.name)
		}
		for _, want := range c.want {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s: body lacks %q\n%s", c.name, want, apptest.Snippet(res.Body))
			}
		}
		if strings.Contains(res.Body, "<script>alert(1)") {
			t.Errorf("%s: the document is not escaped", c.name)
		}
	}

	// An exercise message joins an exercise crisis as a drill notice.
	drill, err := e.Store.Crises().Declare(context.Background(), apptest.As(w.Commander), crisis.Declaration{Title: "Typhoon drill", TypeID: w.Type.ID,
		Level: catalog.LevelII, Exercise: true, Location: "Harbour", OccurredAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	res = author.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Exercise", "Drill signal")}, "crisis_id": {fmt.Sprint(drill.ID)}})
	if n := draftCreated(t, e, res); !n.Exercise || n.CrisisID != drill.ID {
		t.Errorf("drill import %+v", n)
	}

	// The same permission as the API's import.
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	apptest.WantStatus(t, watcher.Get("/desk/notices/import"), http.StatusForbidden)
	apptest.WantStatus(t, watcher.PostForm("/desk/notices/import", url.Values{"xml": {upstreamCAP("Actual", "x")}}), http.StatusForbidden)
}
