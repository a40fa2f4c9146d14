// Package resources is the staff UI's room for the office's resources:
// the inventory with its movements, allocation to a crisis or a drill,
// import and export; the budget with its spending; the people of the team
// who are available; and the weekly resource review with its shortfalls.
package resources

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path       = "/desk/resources"        // the inventory
	ItemsPath  = "/desk/resources/items"  // ItemsPath/{id} is one item
	BudgetPath = "/desk/resources/budget" // the budget lines and spending
	ReviewPath = "/desk/resources/review" // the weekly review
)

// maxImport bounds an uploaded inventory sheet.
const maxImport = 2 << 20

// Room serves the resources; its fields are what it needs.
type Room struct {
	Kit       *kit.Kit
	Resources resource.Service
	Crises    crisis.Service // what supplies and money go to
	Drills    drill.Service
	Accounts  account.Service // the names of reviewers and movers
	// People and Cover come from the team (team.ResourceView).
	People resource.People
	Cover  resource.Cover
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewResources, http.MethodGet, Path, h.inventoryPage),
		kit.Need(authz.ViewResources, http.MethodGet, ItemsPath+".csv", h.exportItems),
		kit.Need(authz.ViewResources, http.MethodGet, ItemsPath+".xlsx", h.exportItems),
		kit.WithBody(maxImport, kit.Need(authz.ManageResources, http.MethodPost, ItemsPath+"/import", h.importItems)),
		kit.Need(authz.ManageResources, http.MethodGet, ItemsPath+"/new", h.newItemPage),
		kit.Need(authz.ManageResources, http.MethodPost, ItemsPath+"/new", h.createItem),
		kit.Need(authz.ViewResources, http.MethodGet, ItemsPath+"/{id}", h.itemPage),
		kit.Need(authz.ManageResources, http.MethodPost, ItemsPath+"/{id}", h.saveItem),
		kit.Need(authz.AllocateResources, http.MethodPost, ItemsPath+"/{id}/move", h.moveItem),
		kit.Need(authz.ViewResources, http.MethodGet, BudgetPath, h.budgetPage),
		kit.Need(authz.ViewResources, http.MethodGet, BudgetPath+".csv", h.exportBudget),
		kit.Need(authz.ViewResources, http.MethodGet, BudgetPath+".xlsx", h.exportBudget),
		kit.Need(authz.ManageResources, http.MethodPost, BudgetPath+"/lines", h.addLine),
		kit.Need(authz.AllocateResources, http.MethodPost, BudgetPath+"/spend", h.spend),
		kit.Need(authz.ViewResources, http.MethodGet, ReviewPath, h.reviewPage),
		kit.Need(authz.ReviewResources, http.MethodPost, ReviewPath, h.completeReview),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "resources", Templates: t, Flashes: map[string]string{
		"resource_item_created": "resource.flash.item_created",
		"resource_item_saved":   "resource.flash.item_saved",
		"resource_moved":        "resource.flash.moved",
		"resource_imported":     "resource.flash.imported",
		"resource_line_added":   "resource.flash.line_added",
		"resource_spent":        "resource.flash.spent",
		"resource_reviewed":     "resource.flash.reviewed",
	}}
}
