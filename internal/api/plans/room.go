// Package plans is the API's room for preparing: the crisis type
// catalogue and contingency plans with their sign-off.
package plans

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/plan"
)

// Room holds what the catalogue and plan operations need; every field is
// required.
type Room struct {
	Plans plan.Service
	Clock clock.Clock // tells whether an approval has lapsed
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put, patch = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created := http.StatusCreated
	ct, pl := []string{"crisis types"}, []string{"plans"}

	kit.Register(k, kit.Can(authz.ViewPlans), op{OperationID: "list-crisis-types", Method: get, Path: "/crisis-types", Tags: ct,
		Summary: "List the crisis type catalogue"}, r.listCrisisTypes)
	kit.Register(k, kit.Can(authz.ManageCatalog), op{OperationID: "create-crisis-type", Method: post, Path: "/crisis-types", Tags: ct,
		Summary: "Add a crisis type", DefaultStatus: created, Errors: []int{cf}}, r.createCrisisType)
	kit.Register(k, kit.Can(authz.ViewPlans), op{OperationID: "get-crisis-type", Method: get, Path: "/crisis-types/{id}", Tags: ct,
		Summary: "Get a crisis type", Errors: []int{nf}}, r.getCrisisType)
	kit.Register(k, kit.Can(authz.ManageCatalog), op{OperationID: "update-crisis-type", Method: patch, Path: "/crisis-types/{id}", Tags: ct,
		Summary: "Change a crisis type", Errors: []int{nf, cf}}, r.updateCrisisType)

	kit.Register(k, kit.Can(authz.ViewPlans), op{OperationID: "list-plans", Method: get, Path: "/plans", Tags: pl,
		Summary: "List contingency plan versions"}, r.listPlans)
	kit.Register(k, kit.Can(authz.EditPlan), op{OperationID: "create-plan", Method: post, Path: "/plans", Tags: pl,
		Summary: "Start a plan: version 1, a draft by the caller", DefaultStatus: created, Errors: []int{cf}}, r.createPlan)
	kit.Register(k, kit.Can(authz.ViewPlans), op{OperationID: "get-plan", Method: get, Path: "/plans/{id}", Tags: pl,
		Summary: "Get a plan version", Errors: []int{nf}}, r.getPlan)
	kit.Register(k, kit.Can(authz.EditPlan), op{OperationID: "save-plan", Method: put, Path: "/plans/{id}", Tags: pl,
		Summary: "Save a draft; saving an approved version starts a new draft version", Errors: []int{nf, cf}}, r.savePlan)
	kit.Register(k, kit.Can(authz.EditPlan), op{OperationID: "submit-plan", Method: post, Path: "/plans/{id}/submit", Tags: pl,
		Summary: "Submit a draft for review (編制)", Errors: []int{nf, cf}}, r.submitPlan)
	kit.Register(k, kit.Can(authz.ReviewPlan), op{OperationID: "review-plan", Method: post, Path: "/plans/{id}/review", Tags: pl,
		Summary: "Sign as reviewer (審核); not the author", Errors: []int{nf, cf}}, r.reviewPlan)
	kit.Register(k, kit.Can(authz.ApprovePlan), op{OperationID: "approve-plan", Method: post, Path: "/plans/{id}/approve", Tags: pl,
		Summary: "Sign as approver (批準), putting the version in force", Errors: []int{nf, cf}}, r.approvePlan)
	kit.Register(k, kit.Can(authz.ReturnPlan), op{OperationID: "return-plan", Method: post, Path: "/plans/{id}/return", Tags: pl,
		Summary: "Send a submitted or reviewed plan back to draft with reasons", Errors: []int{nf, cf}}, r.returnPlan)
}
