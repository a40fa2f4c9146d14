package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/report"
	"crisisdesk/internal/report/export"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/store"
)

// ReportGenerateWorker drafts last month's progress report once this
// month's first working day has come. It runs every hour, so a day the
// server was down is caught up; a report that exists is left alone.
type ReportGenerateWorker struct {
	river.WorkerDefaults[report.GenerateArgs]
	Reports report.Service
	Clock   clock.Clock
	Logger  *slog.Logger
}

// Work drafts the report if it is due.
func (w *ReportGenerateWorker) Work(ctx context.Context, _ *river.Job[report.GenerateArgs]) error {
	r, made, err := w.Reports.GenerateDue(ctx, w.Clock.Now())
	if err != nil {
		return err
	}
	if made {
		w.Logger.Info("monthly report drafted", "period", r.Period.String(), "report", r.ID)
	}
	return nil
}

// ReportMailWorker e-mails a submitted report to one recipient, in the
// office's default language, with its PDF and workbook attached.
type ReportMailWorker struct {
	river.WorkerDefaults[report.MailArgs]
	Store    *store.Store
	Reports  report.Service
	Mailer   *email.Sender
	Catalog  *i18n.Catalog
	Location *time.Location
	BaseURL  string
	Logger   *slog.Logger
}

// Work sends the e-mail.
func (w *ReportMailWorker) Work(ctx context.Context, job *river.Job[report.MailArgs]) error {
	if w.Mailer == nil {
		w.Logger.Debug("monthly report not e-mailed: no mail server", "report", job.Args.ReportID)
		return nil
	}
	r, err := w.Reports.Get(ctx, job.Args.ReportID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	msg, err := ReportMail(w.Catalog.For(i18n.Default), r, w.names(ctx, r), w.Location, w.BaseURL, job.Args.To)
	if err != nil {
		return river.JobCancel(err)
	}
	retry, err := w.Mailer.SendMail(ctx, msg)
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("monthly report refused", "report", r.ID, "err", err)
		return river.JobCancel(err)
	}
	return err
}

func (w *ReportMailWorker) names(ctx context.Context, r report.Report) map[int64]string {
	names := map[int64]string{}
	if u, err := w.Store.Accounts().User(ctx, r.ApprovedBy); err == nil {
		names[u.ID] = u.Name
		if u.DisplayName != "" {
			names[u.ID] = u.DisplayName
		}
	}
	return names
}

// ReportMail is the e-mail that submits report r to one recipient, with
// the report as PDF and XLSX.
func ReportMail(tr i18n.Translator, r report.Report, names map[int64]string, loc *time.Location, baseURL, to string) (email.Message, error) {
	x := export.Render(tr, r, names, loc)
	var pdfBuf, xlsxBuf bytes.Buffer
	if err := export.PDF(&pdfBuf, tr, x, r.ApprovedAt); err != nil {
		return email.Message{}, err
	}
	if err := export.XLSX(&xlsxBuf, tr, x); err != nil {
		return email.Message{}, err
	}
	name := "progress-report-" + r.Period.String()
	body := x.Title + "\n\n" + x.Signed + "\n\n" + fmt.Sprintf("%s/desk/reports/%d\n", trimSlash(baseURL), r.ID)
	return email.Message{To: to, Subject: "[crisisdesk] " + x.Title, Text: body,
		Headers: map[string]string{"X-Crisisdesk-Report": r.Period.String()},
		Attachments: []email.Attachment{
			{Name: name + ".pdf", ContentType: "application/pdf", Data: pdfBuf.Bytes()},
			{Name: name + ".xlsx", ContentType: xlsx.ContentType, Data: xlsxBuf.Bytes()},
		}}, nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
