// Package work is the API's room for the work plan: programmes, their
// tasks and sub-tasks with dependencies, and their progress.
package work

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/workplan"
)

// Room holds what the work plan operations need; every field is required.
type Room struct {
	Work  workplan.Service
	Clock clock.Clock // what "overdue" is measured against
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"work"}

	kit.Register(k, kit.Can(authz.ViewWork), op{OperationID: "list-programmes", Method: get, Path: "/work", Tags: tags,
		Summary: "The programmes of the work plan, latest start first"}, r.listProgrammes)
	kit.Register(k, kit.Can(authz.EditWork), op{OperationID: "create-programme", Method: post, Path: "/work", Tags: tags,
		Summary: "Start a programme, from the plan's template of five tasks and ten sub-tasks or empty", DefaultStatus: http.StatusCreated},
		r.createProgramme)
	kit.Register(k, kit.Can(authz.ViewWork), op{OperationID: "get-programme", Method: get, Path: "/work/{id}", Tags: tags,
		Summary: "A programme with its tasks in plan order and its progress", Errors: []int{nf}}, r.getProgramme)
	kit.Register(k, kit.Can(authz.EditWork), op{OperationID: "add-work-task", Method: post, Path: "/work/{id}/tasks", Tags: tags,
		Summary: "Add a task or sub-task; its owner is alerted when it falls overdue", DefaultStatus: http.StatusCreated,
		Errors: []int{nf}}, r.addTask)
	kit.Register(k, kit.Can(authz.EditWork), op{OperationID: "save-work-task", Method: put, Path: "/work-tasks/{id}", Tags: tags,
		Summary: "Change a task: dates, owner, status and percentage, dependencies (a cycle is refused)", Errors: []int{nf, cf}}, r.saveTask)
}
