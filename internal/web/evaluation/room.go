// Package evaluation is the staff UI's room for evaluation and learning:
// the quarterly dashboard of KPIs (and per month, year, crisis type and
// level), the period reports with their commentary and signature, the
// versioned KPI definitions, the internal audit of published notices,
// the lessons library, and the post-crisis review's signature and
// exports.
package evaluation

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/review"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path            = "/desk/evaluation"             // the dashboard
	ReportsPath     = "/desk/evaluation/reports"     // the period reports; ReportsPath/{id} is one
	DefinitionsPath = "/desk/evaluation/definitions" // the KPI definitions, every version
	AuditPath       = "/desk/evaluation/audit"       // the internal audit of published notices
	LessonsPath     = "/desk/lessons"                // the lessons library
	reviewPath      = "/desk/crises/{id}/review"     // the crises room's review page; this room signs and exports it
)

// Room serves evaluation and learning.
type Room struct {
	Kit        *kit.Kit
	Evaluation kpi.Service
	Lessons    lessons.Service
	Reviews    review.Service
	Crises     crisis.Service  // the review's lessons and the crisis
	Plans      plan.Service    // crisis types and plan names
	Accounts   account.Service // names of authors and signers
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewEvaluation, http.MethodGet, Path, h.dashboard),
		kit.Need(authz.EditEvaluation, http.MethodPost, ReportsPath, h.generate),
		kit.Need(authz.ViewEvaluation, http.MethodGet, ReportsPath, h.reportsPage),
		kit.Need(authz.ViewEvaluation, http.MethodGet, ReportsPath+"/{id}", h.reportPage),
		kit.Need(authz.EditEvaluation, http.MethodPost, ReportsPath+"/{id}", h.comment),
		kit.Need(authz.ApproveEvaluation, http.MethodPost, ReportsPath+"/{id}/sign", h.sign),
		kit.Need(authz.ViewEvaluation, http.MethodGet, ReportsPath+"/{id}/print", h.reportPrint),
		kit.Need(authz.ViewEvaluation, http.MethodGet, ReportsPath+"/{id}/report.xlsx", h.reportXLSX),
		kit.Need(authz.ViewEvaluation, http.MethodGet, ReportsPath+"/{id}/report.pdf", h.reportPDF),
		kit.Need(authz.ViewEvaluation, http.MethodGet, DefinitionsPath, h.definitionsPage),
		kit.Need(authz.DefineKPI, http.MethodPost, DefinitionsPath, h.define),
		kit.Need(authz.ViewEvaluation, http.MethodGet, AuditPath, h.auditPage),
		kit.Need(authz.ViewEvaluation, http.MethodGet, CoveragePath, h.coveragePage),
		kit.Need(authz.AuditAccuracy, http.MethodPost, AuditPath, h.audit),
		kit.Need(authz.SearchLessons, http.MethodGet, LessonsPath, h.lessonsPage),
		kit.Need(authz.ViewCrises, http.MethodGet, reviewPath+"/print", h.reviewPrint),
		kit.Need(authz.ViewCrises, http.MethodGet, reviewPath+"/review.xlsx", h.reviewXLSX),
		kit.Need(authz.SignReview, http.MethodPost, reviewPath+"/sign", h.signReview),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask for.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "evaluation", Templates: t, Flashes: map[string]string{
		"evaluation_generated": "evaluation.flash.generated",
		"evaluation_saved":     "evaluation.flash.saved",
		"evaluation_signed":    "evaluation.flash.signed",
		"kpi_defined":          "evaluation.flash.defined",
		"audit_recorded":       "evaluation.flash.audited",
		"review_signed":        "evaluation.flash.review_signed",
	}}
}
