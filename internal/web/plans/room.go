// Package plans is the staff UI's room for preparing: the catalogue of
// crisis types and the contingency plans, from a draft through the three
// signatures to the printed and offline copies.
package plans

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path        = "/desk/plans"   // the plans; Path/{id} is one version
	CatalogPath = "/desk/catalog" // the crisis types; CatalogPath/{id} is one
)

// Room serves the catalogue and the plans; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Plans    plan.Service    // the catalogue and the plans
	Accounts account.Service // the departments that own steps
	Items    Inventory       // the inventory items a plan's resources refer to
}

// Inventory lists the inventory items (resource.Service is one).
type Inventory interface {
	Items(ctx context.Context) ([]resource.Item, error)
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewPlans, http.MethodGet, CatalogPath, h.catalogPage),
		kit.Need(authz.ManageCatalog, http.MethodGet, CatalogPath+"/new", h.newTypePage),
		kit.Need(authz.ManageCatalog, http.MethodPost, CatalogPath+"/new", h.createType),
		kit.Need(authz.ViewPlans, http.MethodGet, CatalogPath+"/{id}", h.typePage),
		kit.Need(authz.ManageCatalog, http.MethodPost, CatalogPath+"/{id}", h.updateType),

		kit.Need(authz.ViewPlans, http.MethodGet, Path, h.plansPage),
		kit.Need(authz.EditPlan, http.MethodGet, Path+"/new", h.newPlanPage),
		kit.Need(authz.EditPlan, http.MethodPost, Path+"/new", h.createPlan),
		kit.Need(authz.ViewPlans, http.MethodGet, Path+"/{id}", h.planPage),
		kit.Need(authz.EditPlan, http.MethodGet, Path+"/{id}/edit", h.planEditPage),
		kit.Need(authz.EditPlan, http.MethodPost, Path+"/{id}/edit", h.savePlan),
		kit.Need(authz.EditPlan, http.MethodPost, Path+"/{id}/submit", h.submitPlan),
		kit.Need(authz.ReviewPlan, http.MethodPost, Path+"/{id}/review", h.reviewPlan),    // or return
		kit.Need(authz.ApprovePlan, http.MethodPost, Path+"/{id}/approve", h.approvePlan), // or return
		kit.Need(authz.ViewPlans, http.MethodGet, Path+"/{id}/print", h.planPrint),
		kit.Need(authz.ViewPlans, http.MethodGet, Path+"/{id}/offline", h.planOffline),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "plans", Templates: t, Flashes: map[string]string{
		"saved":       "flash.saved",
		"created":     "flash.created",
		"submitted":   "flash.submitted",
		"reviewed":    "flash.reviewed",
		"approved":    "flash.approved",
		"returned":    "flash.returned",
		"new_version": "flash.new_version",
	}}
}
