// Package drills is the API's room for exercises (演練): drills with
// their safety gate, start (the exercise crisis), safety stop and end,
// and the office's default safety checklist.
package drills

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
)

// Room holds what the drill operations need; every field is required.
type Room struct {
	Drills drill.Service
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"drills"}

	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "list-drills", Method: get, Path: "/drills", Tags: tags,
		Summary: "List drills, newest start first"}, r.listDrills)
	kit.Register(k, kit.Can(authz.PlanDrill), op{OperationID: "create-drill", Method: post, Path: "/drills", Tags: tags,
		Summary: "Plan a drill of a plan version", DefaultStatus: http.StatusCreated}, r.createDrill)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "get-drill", Method: get, Path: "/drills/{id}", Tags: tags,
		Summary: "Get a drill", Errors: []int{nf}}, r.getDrill)
	kit.Register(k, kit.Can(authz.PlanDrill), op{OperationID: "save-drill", Method: put, Path: "/drills/{id}", Tags: tags,
		Summary: "Change a planned or ready drill; a signed safety gate is voided", Errors: []int{nf, cf}}, r.saveDrill)
	kit.Register(k, kit.Can(authz.PlanDrill), op{OperationID: "save-drill-safety", Method: put, Path: "/drills/{id}/safety", Tags: tags,
		Summary: "Change the drill's safety assessment; a signed one is voided", Errors: []int{nf, cf}}, r.saveSafety)
	kit.Register(k, kit.Can(authz.SignDrill), op{OperationID: "sign-drill-safety", Method: post, Path: "/drills/{id}/safety/sign", Tags: tags,
		Summary: "Sign the safety gate (not the drill's author): the drill is ready", Errors: []int{nf, cf}}, r.signSafety)
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "start-drill", Method: post, Path: "/drills/{id}/start", Tags: tags,
		Summary: "Start a ready drill: declares its exercise crisis from the plan under test", Errors: []int{nf, cf}}, r.startDrill)
	kit.Register(k, kit.Can(authz.ObserveDrill), op{OperationID: "stop-drill", Method: post, Path: "/drills/{id}/stop", Tags: tags,
		Summary: "Stop a running drill for safety (a controller or the safety officer); everyone on it is told",
		Errors:  []int{nf, cf}}, r.stopDrill)
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "end-drill", Method: post, Path: "/drills/{id}/end", Tags: tags,
		Summary: "End a running drill; its report is due within seven days", Errors: []int{nf, cf}}, r.endDrill)

	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "get-drill-checklist", Method: get, Path: "/drill-checklist", Tags: tags,
		Summary: "The office's default safety checklist for new drills"}, r.getChecklist)
	kit.Register(k, kit.Can(authz.SignDrill), op{OperationID: "save-drill-checklist", Method: put, Path: "/drill-checklist", Tags: tags,
		Summary: "Change the office's default safety checklist"}, r.saveChecklist)
}
