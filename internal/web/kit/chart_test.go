package kit_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"crisisdesk/internal/web/kit"
)

var chartPage = kit.Pages{Room: "chartroom", Templates: fstest.MapFS{
	"chartpage.html": {Data: []byte(`{{define "title"}}Charts{{end}}{{define "content"}}{{template "chart" .Data}}{{end}}`)},
}}

// A chart renders its figures twice: as a table every reader gets, and as
// JSON for the drawing script. Labels are escaped in both; a missing value
// is a dash in the table and null in the chart.
func TestChartPartial(t *testing.T) {
	t.Parallel()
	k := newKit(t, chartPage)
	c := kit.Chart{ID: "first", Title: "Time to first notice", Kind: "bar", Unit: " min",
		Categories: []string{"2026 Q1", "<b>Q2</b>"},
		Series: []kit.Series{
			{Name: "Real </script><script>alert(1)</script>", Values: []float64{12, 41.26}},
			{Name: "Exercises", Values: []float64{7, 0}, Missing: []bool{false, true}},
		},
		Mark: 30, MarkLabel: "30 minutes"}
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Accept-Language", "en")
	w := httptest.NewRecorder()
	k.Render(w, r, http.StatusOK, "chartpage", c)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", w.Code, body)
	}
	for _, want := range []string{`id="chart-first"`, `<figcaption id="chart-first-title">Time to first notice</figcaption>`,
		`<th scope="col">&lt;b&gt;Q2&lt;/b&gt;</th>`, `<td class="num">41.3 min</td>`, `<td class="num">12 min</td>`,
		`<td class="num">–</td>`, `aria-controls="chart-first-table"`, `data-echarts-src="/static/vendor/echarts.min.`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<b>Q2") {
		t.Errorf("a label is not escaped:\n%s", body)
	}
	// The data-chart attribute parses back to the figures.
	m := regexp.MustCompile(`data-chart="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data")
	}
	raw := html.UnescapeString(m[1])
	var got struct {
		Kind       string   `json:"kind"`
		Categories []string `json:"categories"`
		Series     []struct {
			Name   string     `json:"name"`
			Values []*float64 `json:"values"`
		} `json:"series"`
		Mark struct{ Value float64 } `json:"mark"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("chart data %q: %v", raw, err)
	}
	if got.Kind != "bar" || !reflect.DeepEqual(got.Categories, c.Categories) || len(got.Series) != 2 ||
		got.Series[0].Name != c.Series[0].Name || *got.Series[0].Values[1] != 41.26 || got.Series[1].Values[1] != nil || got.Mark.Value != 30 {
		t.Errorf("chart data %+v", got)
	}

	// No figures: the chart says so instead of drawing nothing.
	w = httptest.NewRecorder()
	k.Render(w, r, http.StatusOK, "chartpage", kit.Chart{ID: "none", Title: "Nothing yet", Kind: "line", Empty: "No crises this quarter.",
		Categories: []string{"Q1"}, Series: []kit.Series{{Name: "x", Values: []float64{0}, Missing: []bool{true}}}})
	if b := w.Body.String(); !strings.Contains(b, "No crises this quarter.") || strings.Contains(b, "data-chart=") {
		t.Errorf("empty chart:\n%s", b)
	}
}
