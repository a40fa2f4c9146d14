// Package risks is the API's room for the risk register: risks with
// their ratings on the 5×5 heat map, reviews, mitigations and links.
package risks

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/risk"
)

// Room holds what the risk operations need; every field is required.
type Room struct {
	Risks risk.Service
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"risks"}

	kit.Register(k, kit.Can(authz.ViewRisks), op{OperationID: "list-risks", Method: get, Path: "/risks", Tags: tags,
		Summary: "The risk register, highest first"}, r.listRisks)
	kit.Register(k, kit.Can(authz.EditRisks), op{OperationID: "create-risk", Method: post, Path: "/risks", Tags: tags,
		Summary: "Raise a risk: its owner and the risk managers are alerted", DefaultStatus: http.StatusCreated}, r.createRisk)
	kit.Register(k, kit.Can(authz.ViewRisks), op{OperationID: "get-risk", Method: get, Path: "/risks/{id}", Tags: tags,
		Summary: "Get a risk", Errors: []int{nf}}, r.getRisk)
	kit.Register(k, kit.Can(authz.EditRisks), op{OperationID: "save-risk", Method: put, Path: "/risks/{id}", Tags: tags,
		Summary: "Change a risk's details (not its rating: rate it)", Errors: []int{nf, cf}}, r.saveRisk)
	kit.Register(k, kit.Can(authz.RateRisks), op{OperationID: "rate-risk", Method: post, Path: "/risks/{id}/ratings", Tags: tags,
		Summary: "Rate a risk (likelihood 0 for unrated, 1–5; impact 1–5): alerts its owner and the risk managers, on the dashboard and the linked crises' timelines",
		Errors:  []int{nf, cf}}, r.rateRisk)
	kit.Register(k, kit.Can(authz.ViewRisks), op{OperationID: "list-risk-ratings", Method: get, Path: "/risks/{id}/ratings", Tags: tags,
		Summary: "A risk's rating history, oldest first, with its trend", Errors: []int{nf}}, r.listRatings)
	kit.Register(k, kit.Can(authz.RateRisks), op{OperationID: "review-risk", Method: post, Path: "/risks/{id}/review", Tags: tags,
		Summary: "Record a review: its clock is met and the next review's started", Errors: []int{nf, cf}}, r.reviewRisk)
	kit.Register(k, kit.Can(authz.EditRisks), op{OperationID: "link-risk", Method: post, Path: "/risks/{id}/links", Tags: tags,
		Summary: "RiskLink a risk to a crisis type, plan, drill or crisis", Errors: []int{nf, cf}}, r.linkRisk)
	kit.Register(k, kit.Can(authz.ViewRisks), op{OperationID: "list-risk-mitigations", Method: get, Path: "/risks/{id}/mitigations", Tags: tags,
		Summary: "A risk's mitigations with the record of their execution", Errors: []int{nf}}, r.listMitigations)
	kit.Register(k, kit.Can(authz.EditRisks), op{OperationID: "add-risk-mitigation", Method: post, Path: "/risks/{id}/mitigations", Tags: tags,
		Summary: "Add a mitigation with an owner and a due date", DefaultStatus: http.StatusCreated, Errors: []int{nf}}, r.addMitigation)
	kit.Register(k, kit.Can(authz.ViewRisks), op{OperationID: "track-risk-mitigation", Method: post, Path: "/risk-mitigations/{id}/track", Tags: tags,
		Summary: "Record a mitigation's execution (its owner, or risk.mitigate)", Errors: []int{nf}}, r.trackMitigation)
}
