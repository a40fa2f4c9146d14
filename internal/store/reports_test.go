package store_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/pdf/pdftest"
	"crisisdesk/internal/report"
	"crisisdesk/internal/report/export"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// trainingSource stands for an area the lead plugs in later.
type trainingSource struct{}

func (trainingSource) Fill(_ context.Context, _, _ time.Time, b *report.Body) error {
	b.Figures = append(b.Figures, report.Figure{Key: "report.figure.training", Value: 12})
	return nil
}

func TestMonthlyReport(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine) // 2026-11-25 08:00 UTC, a Wednesday
		hk := time.FixedZone("HKT", 8*3600)
		rs := o.st.Reports(hk, report.Policy{Recipients: []string{"pmo@example.org"}}, trainingSource{})
		ed, ap, cmd, lia := o.users[authz.Editor], o.users[authz.Approver], o.users[authz.Commander], o.users[authz.Liaison]

		// November: an action overdue by the month's end, one due in
		// December, a drill planned for December, a crisis whose clocks
		// are missed.
		for _, x := range []action.Action{
			{Source: action.Source{Kind: action.FromMeeting, ID: 1}, Text: "Train the spokespeople", OwnerID: lia.UserID, Due: o.clk.Now().Add(24 * time.Hour)},
			{Source: action.Source{Kind: action.FromRisk, ID: 2}, Text: "Review the panic risk", OwnerID: lia.UserID, Due: o.clk.Now().Add(10 * 24 * time.Hour)},
		} {
			if _, err := o.st.Actions().Add(ctx, ed, x); err != nil {
				t.Fatal(err)
			}
		}
		o.readyDrill(t)
		if _, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon Koinu", TypeID: o.typ.ID, Level: catalog.LevelII,
			Location: "Harbour district", OccurredAt: o.clk.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Generate(ctx, lia, report.Period{Year: 2026, Month: 11}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a liaison generates: %v", err)
		}
		// On 30 November (23:00 in Hong Kong) the report due is
		// October's; November's waits for the first working day of
		// December (Tuesday the 1st, from midnight in Hong Kong).
		o.clk.Set(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC))
		if oct, made, err := rs.GenerateDue(ctx, o.clk.Now()); err != nil || !made || oct.Period.String() != "2026-10" {
			t.Fatalf("drafted on the 30th: %+v %v %v", oct, made, err)
		}
		o.clk.Set(time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)) // 00:30 on 1 December in Hong Kong
		r, made, err := rs.GenerateDue(ctx, o.clk.Now())
		if err != nil || !made || r.Period.String() != "2026-11" || r.State != report.Draft || r.AuthorID != 0 {
			t.Fatalf("drafted %+v %v %v", r, made, err)
		}
		if want := time.Date(2026, 12, 7, 17, 0, 0, 0, hk); !r.DueAt.Equal(want) {
			t.Errorf("due %v, want the fifth working day, %v", r.DueAt, want)
		}
		if _, made, _ := rs.GenerateDue(ctx, o.clk.Now()); made {
			t.Fatal("drafted twice")
		}
		got := renderText(export.Render(cat.For(i18n.English), r, nil, hk))
		golden := "testdata/report.txt"
		if *updateGolden && engine == store.SQLite {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if want, err := os.ReadFile(golden); err != nil || string(want) != got {
			t.Errorf("report differs from %s (go test -run MonthlyReport -update-golden) %v:\n%s", golden, err, got)
		}

		// The coordinator edits; the author may not sign.
		if _, err := rs.Save(ctx, cmd, r.ID, report.Edit{Recipients: []string{"not an address"}, Lock: r.Lock}); !hasField(fault.FieldsOf(err), "recipients") {
			t.Fatalf("bad recipient: %v", err)
		}
		if r, err = rs.Save(ctx, cmd, r.ID, report.Edit{ProgressText: "颱風季節已結束，預案運作良好。", Recipients: []string{"pmo@example.org", "chief@example.org"},
			Lock: r.Lock}); err != nil || r.AuthorID != cmd.UserID {
			t.Fatalf("saved %+v %v", r, err)
		}
		if _, err := rs.Approve(ctx, cmd, r.ID); !fault.Is(err, fault.Forbidden) || !hasField(fault.FieldsOf(err), "approved_by") {
			t.Fatalf("approved by its author: %v", err)
		}
		if _, err := rs.Submit(ctx, cmd, r.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("submitted a draft: %v", err)
		}
		if r, err = rs.Approve(ctx, ap, r.ID); err != nil || r.State != report.Approved || r.ApprovedBy != ap.UserID {
			t.Fatalf("approved %+v %v", r, err)
		}
		if _, err := rs.Generate(ctx, ed, r.Period); !fault.Is(err, fault.Conflict) {
			t.Fatalf("redrafted after approval: %v", err)
		}
		if r, err = rs.Submit(ctx, ed, r.ID); err != nil || r.State != report.Submitted {
			t.Fatalf("submitted %+v %v", r, err)
		}
		if d, err := o.st.DeadlineOf(ctx, report.DeadlineKind, deadline.Subject{Kind: "monthly_report", ID: r.ID}); err != nil ||
			!d.DueAt.Equal(r.DueAt) || d.MetAt.IsZero() || len(d.Watchers) == 0 {
			t.Fatalf("the report's clock %+v %v", d, err)
		}
		if n := jobsOfKind(t, o.st, "monthly_report_mail"); n != 2 {
			t.Fatalf("%d mails queued, want 2", n)
		}

		// Both exports read back, Chinese included.
		x := export.Render(cat.For(i18n.TraditionalChinese), r, map[int64]string{ap.UserID: "審批人"}, hk)
		var pdfBuf, xlsxBuf bytes.Buffer
		if err := export.PDF(&pdfBuf, cat.For(i18n.TraditionalChinese), x, r.UpdatedAt); err != nil {
			t.Fatal(err)
		}
		text := pdftest.Text(t, pdfBuf.Bytes())
		for _, want := range []string{"月度進度報告", "颱風季節已結束，預案運作良好。", "Train the spokespeople", "審批人"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if err := export.XLSX(&xlsxBuf, cat.For(i18n.TraditionalChinese), x); err != nil {
			t.Fatal(err)
		}
		rows, err := xlsx.Read(bytes.NewReader(xlsxBuf.Bytes()))
		if err != nil || len(rows) < 5 || !strings.Contains(rows[0][0], "月度進度報告") {
			t.Fatalf("workbook %v %v", rows, err)
		}
	})
}

// renderText is a rendered report as plain text, for the golden file.
func renderText(x export.Rendered) string {
	var b strings.Builder
	b.WriteString(x.Title + "\n" + x.State + "\n")
	for _, s := range x.Sections {
		b.WriteString("\n## " + s.Title + "\n")
		if s.Text != "" {
			b.WriteString(s.Text + "\n")
		}
		for _, l := range s.Lines {
			b.WriteString("- " + l + "\n")
		}
	}
	b.WriteString("\n## Figures\n")
	for _, f := range x.Figures {
		b.WriteString(f[0] + ": " + f[1] + "\n")
	}
	return b.String()
}
