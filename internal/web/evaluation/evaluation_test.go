package evaluation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/kpi"
)

func TestQuarterReportSignedByAnotherAndExported(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	commander, approver, reviewer := e.SignIn(w.Commander), e.SignIn(w.Approver), e.SignIn(w.Reviewer)
	q := kpi.QuarterOf(w.Crisis.OccurredAt).String()

	res := reviewer.Get("/desk/evaluation?period=" + q)
	apptest.WantBody(t, res, `id="figures-table"`, "Response time (occurrence to activation)", `id="chart-trend-times-table"`, `id="chart-trend-shares-table"`,
		`id="chart-first-notice-table"`, `id="chart-clocks-table"`, "30 minutes", "Exercises")
	apptest.WantStatus(t, reviewer.Get("/desk/evaluation?period=2026-Q7"), http.StatusUnprocessableEntity)
	apptest.WantBody(t, reviewer.Get("/desk/evaluation/coverage"), fmt.Sprintf(`id="coverage-%d"`, w.Type.ID),
		"Not drilled in 12 months", "Not in the risk register yet", "1 real, 0 exercises")

	res = commander.PostForm("/desk/evaluation/reports", url.Values{"period": {q}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	page := res.Location()[:len(res.Location())-len("?done=evaluation_generated")]
	res = commander.Get(page)
	apptest.WantBody(t, res, `id="comment-form"`, "Version 1")
	lock := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(res.Body)[1]
	res = commander.PostForm(page, url.Values{"lock": {lock}, "summary": {"bad \x07 text"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`)
	apptest.WantStatus(t, commander.PostForm(page, url.Values{"lock": {lock}, "summary": {"A quiet quarter"},
		"comment_first_notice": {"=HYPERLINK(\"x\") all within 30 minutes"}}), http.StatusSeeOther)

	res = commander.PostForm(page+"/sign", nil)
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, "You wrote this report")
	apptest.WantStatus(t, approver.PostForm(page+"/sign", nil), http.StatusSeeOther)
	apptest.WantBody(t, reviewer.Get(page), "fx-approver", "A quiet quarter")
	apptest.WantBody(t, reviewer.Get(page+"/print"), "A quiet quarter", "Evaluation report")

	doc := reviewer.Get(page + "/report.pdf")
	apptest.WantStatus(t, doc, http.StatusOK)
	if !strings.HasPrefix(doc.Body, "%PDF-") || !strings.Contains(doc.Header.Get("Content-Type"), "application/pdf") {
		t.Fatalf("the report's PDF: %.40q", doc.Body)
	}
	book := reviewer.Get(page + "/report.xlsx")
	rows := apptest.XLSXRows(t, []byte(book.Body), q)
	found := map[string]bool{}
	for _, r := range rows {
		if len(r) > 6 && r[0] == "first_notice" && r[1] == "minutes" && r[6] == "1" {
			found["figure"] = true
		}
		if len(r) > 3 && r[0] == "commentary" && r[3] == "'=HYPERLINK(\"x\") all within 30 minutes" {
			found["comment"] = true // neutralised by the sheet writer
		}
	}
	if !found["figure"] || !found["comment"] {
		t.Fatalf("workbook %v", rows)
	}
}

func TestDefinitionsAuditAndLibrary(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	commander, reviewer, editor := e.SignIn(w.Commander), e.SignIn(w.Reviewer), e.SignIn(w.Editor)

	res := commander.PostForm("/desk/evaluation/definitions", url.Values{"key": {"first_notice"}, "valid_from": {"2026-12-01"}, "statistic": {"mean"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Write the definition&#39;s formula.")
	res = commander.PostForm("/desk/evaluation/definitions", url.Values{"key": {"first_notice"}, "formula": {"mean minutes"}, "statistic": {"mean"}})
	apptest.WantBody(t, res, "Give the date this version applies from")
	apptest.WantStatus(t, commander.PostForm("/desk/evaluation/definitions", url.Values{"key": {"first_notice"}, "formula": {"mean minutes"},
		"statistic": {"mean"}, "valid_from": {"2026-12-01"}, "target": {"20"}}), http.StatusSeeOther)
	apptest.WantBody(t, reviewer.Get("/desk/evaluation/definitions"), `id="definition-first_notice-2"`, `id="definition-first_notice-1"`, "mean minutes")

	draft, err := e.Store.Notices().Create(t.Context(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	res = reviewer.PostForm("/desk/evaluation/audit", url.Values{"notice_id": {fmt.Sprint(draft.ID)}, "quarter": {"2026-Q4"}, "accurate": {"yes"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "internal notices and drafts are never sampled")

	// The library: a closed crisis and its review, found in Chinese.
	ctx := t.Context()
	if _, err := e.Store.Crises().Close(ctx, apptest.As(w.Commander), w.Crisis.ID, "颱風已過"); err != nil {
		t.Fatal(err)
	}
	rv, err := e.Store.Crises().Review(ctx, w.Crisis.ID)
	if err != nil {
		t.Fatal(err)
	}
	rv.Lessons = "排水渠要先清理"
	rv.ActionItems = []crisis.ActionItem{{Text: "更新清單", OwnerID: w.Editor.ID}}
	if _, err := e.Store.Crises().SaveReview(ctx, apptest.As(w.Commander), rv); err != nil {
		t.Fatal(err)
	}
	res = editor.Get("/desk/lessons?q=" + url.QueryEscape("排水渠"))
	apptest.WantBody(t, res, fmt.Sprintf(`id="lesson-review-%d"`, w.Crisis.ID), "排水渠要先清理")
	apptest.WantStatus(t, editor.Get("/desk/lessons?q=%25"), http.StatusUnprocessableEntity)
	apptest.WantBody(t, commander.Get(fmt.Sprintf("/desk/crises/new?type_id=%d", w.Type.ID)), `id="declare-lessons"`, "排水渠要先清理")

	// The review: printed, signed by another, exported.
	review := fmt.Sprintf("/desk/crises/%d/review", w.Crisis.ID)
	apptest.WantBody(t, reviewer.Get(review+"/print"), "排水渠要先清理", `id="review-clocks"`, "fx-editor")
	apptest.WantStatus(t, commander.PostForm(review+"/sign", nil), http.StatusForbidden)
	approver := e.SignIn(w.Approver)
	apptest.WantStatus(t, approver.PostForm(review+"/sign", nil), http.StatusSeeOther)
	apptest.WantBody(t, reviewer.Get(review+"/print"), "fx-approver")
	rows := apptest.XLSXRows(t, []byte(reviewer.Get(review+"/review.xlsx").Body), "Review")
	if len(rows) < 5 || rows[3][1] != "排水渠要先清理" || rows[4][2] != "fx-editor" {
		t.Fatalf("review workbook %v", rows)
	}
}
