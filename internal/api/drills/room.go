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
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "pause-drill", Method: post, Path: "/drills/{id}/pause", Tags: tags,
		Summary: "Hold a running drill's injects", Errors: []int{nf, cf}}, r.pauseDrill)
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "resume-drill", Method: post, Path: "/drills/{id}/resume", Tags: tags,
		Summary: "Resume a paused drill: every pending inject moves on by the pause", Errors: []int{nf, cf}}, r.resumeDrill)

	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "list-drill-injects", Method: get, Path: "/drills/{id}/injects", Tags: tags,
		Summary: "The drill's injects (MSEL) in the order they fall", Errors: []int{nf}}, r.listInjects)
	kit.Register(k, kit.Can(authz.PlanDrill), op{OperationID: "add-drill-inject", Method: post, Path: "/drills/{id}/injects", Tags: tags,
		Summary: "Add an inject: before the start, or live by the controller", DefaultStatus: http.StatusCreated,
		Errors: []int{nf, cf}}, r.addInject)
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "fire-drill-inject", Method: post, Path: "/drill-injects/{id}/fire", Tags: tags,
		Summary: "Deliver a pending inject now, ahead of its time", Errors: []int{nf, cf}}, r.fireInject)
	kit.Register(k, kit.Can(authz.ControlDrill), op{OperationID: "skip-drill-inject", Method: post, Path: "/drill-injects/{id}/skip", Tags: tags,
		Summary: "Skip a pending inject", Errors: []int{nf, cf}}, r.skipInject)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "list-drill-observations", Method: get, Path: "/drills/{id}/observations", Tags: tags,
		Summary: "Observations: all for the drill's evaluators, and for everyone once it ended; else the caller's own", Errors: []int{nf}}, r.listObservations)
	kit.Register(k, kit.Can(authz.ObserveDrill), op{OperationID: "observe-drill", Method: post, Path: "/drills/{id}/observations", Tags: tags,
		Summary: "Record an observation (an observer or evaluator named on the drill)", DefaultStatus: http.StatusCreated,
		Errors: []int{nf, cf}}, r.observe)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "get-drill-report", Method: get, Path: "/drills/{id}/report", Tags: tags,
		Summary: "The after-action report, drafted when the drill ends", Errors: []int{nf}}, r.getReport)
	kit.Register(k, kit.Can(authz.EvaluateDrill), op{OperationID: "save-drill-report", Method: put, Path: "/drills/{id}/report", Tags: tags,
		Summary: "Edit the report (an evaluator named on the drill)", Errors: []int{nf, cf}}, r.saveReport)
	kit.Register(k, kit.Can(authz.EvaluateDrill), op{OperationID: "redraft-drill-report", Method: post, Path: "/drills/{id}/report/redraft", Tags: tags,
		Summary: "Draft the report again from the record, keeping its summary", Errors: []int{nf, cf}}, r.redraftReport)
	kit.Register(k, kit.Can(authz.ApproveDrill), op{OperationID: "approve-drill-report", Method: post, Path: "/drills/{id}/report/approve", Tags: tags,
		Summary: "Approve the report (not its author): the drill is evaluated", Errors: []int{nf, cf}}, r.approveReport)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "get-drill-figures", Method: get, Path: "/drills/{id}/figures", Tags: tags,
		Summary: "The drill's figures for the KPIs: problems found, actions closed on time, clocks met, time to the report",
		Errors:  []int{nf}}, r.getFigures)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "list-drill-actions", Method: get, Path: "/drills/{id}/actions", Tags: tags,
		Summary: "The drill's improvement actions", Errors: []int{nf}}, r.listActions)
	kit.Register(k, kit.Can(authz.EvaluateDrill), op{OperationID: "add-drill-action", Method: post, Path: "/drills/{id}/actions", Tags: tags,
		Summary:       "Make an area for improvement an action with an owner, a due date and what it changes",
		DefaultStatus: http.StatusCreated, Errors: []int{nf, cf}}, r.addAction)
	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "complete-drill-action", Method: post, Path: "/drill-actions/{id}/done", Tags: tags,
		Summary: "Mark an action done (its owner, or an evaluator)", Errors: []int{nf, cf}}, r.completeAction)
	kit.Register(k, kit.Can(authz.ApproveDrill), op{OperationID: "verify-drill-action", Method: post, Path: "/drill-actions/{id}/verify", Tags: tags,
		Summary: "Verify a done action, closing it (not who marked it done); the last closes an evaluated drill",
		Errors:  []int{nf, cf}}, r.verifyAction)
	kit.Register(k, kit.Can(authz.ApproveDrill), op{OperationID: "close-drill", Method: post, Path: "/drills/{id}/close", Tags: tags,
		Summary: "Close an evaluated drill whose actions are all closed", Errors: []int{nf, cf}}, r.closeDrill)

	kit.Register(k, kit.Can(authz.ViewDrills), op{OperationID: "get-drill-checklist", Method: get, Path: "/drill-checklist", Tags: tags,
		Summary: "The office's default safety checklist for new drills"}, r.getChecklist)
	kit.Register(k, kit.Can(authz.SignDrill), op{OperationID: "save-drill-checklist", Method: put, Path: "/drill-checklist", Tags: tags,
		Summary: "Change the office's default safety checklist"}, r.saveChecklist)
}
