// Package reports is the staff UI's room for the monthly progress report:
// the reports by month, generating one, the coordinator's edit, the
// approver's signature, submission to the recipients, and the PDF and
// XLSX downloads.
package reports

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/report"
	"crisisdesk/internal/web/kit"
)

// Path lists the reports; Path/{id} is one.
const Path = "/desk/reports"

// Room serves the reports; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Reports  report.Service
	Accounts account.Service
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewReports, http.MethodGet, Path, h.listPage),
		kit.Need(authz.EditReports, http.MethodPost, Path, h.generate),
		kit.Need(authz.ViewReports, http.MethodGet, Path+"/{id}", h.reportPage),
		kit.Need(authz.EditReports, http.MethodPost, Path+"/{id}", h.save),
		kit.Need(authz.EditReports, http.MethodPost, Path+"/{id}/redraft", h.redraft),
		kit.Need(authz.ApproveReport, http.MethodPost, Path+"/{id}/approve", h.approve),
		kit.Need(authz.EditReports, http.MethodPost, Path+"/{id}/submit", h.submit),
		kit.Need(authz.ViewReports, http.MethodGet, Path+"/{id}/report.pdf", h.downloadPDF),
		kit.Need(authz.ViewReports, http.MethodGet, Path+"/{id}/report.xlsx", h.downloadXLSX),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and confirmations, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "reports", Templates: t, Flashes: map[string]string{
		"report_generated": "report.flash.generated",
		"report_saved":     "report.flash.saved",
		"report_approved":  "report.flash.approved",
		"report_submitted": "report.flash.submitted",
	}}
}
