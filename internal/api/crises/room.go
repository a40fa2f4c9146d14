// Package crises is the API's room for running a crisis: declaring it,
// its plan, level and status, its tasks and timeline, and its event
// stream.
package crises

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
)

// Room holds what the crisis operations need; every field is required.
type Room struct {
	Crises  crisis.Service
	Notices notice.Service // the crisis's published notices, for its accuracy
	Live    *live.Broker   // the crisis event streams
	Clock   clock.Clock    // tells clock states
	Catalog *i18n.Catalog  // renders system texts in the caller's language
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created := http.StatusCreated
	cr, tk := []string{"crises"}, []string{"tasks"}

	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "list-crises", Method: get, Path: "/crises", Tags: cr,
		Summary: "List crises and exercises, newest first"}, r.listCrises)
	kit.Register(k, kit.Can(authz.DeclareCrisis), op{OperationID: "declare-crisis", Method: post, Path: "/crises", Tags: cr,
		Summary: "Declare a crisis or an exercise; its clocks start", DefaultStatus: created}, r.declareCrisis)
	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "get-crisis", Method: get, Path: "/crises/{id}", Tags: cr,
		Summary: "Get a crisis with its clocks", Errors: []int{nf}}, r.getCrisis)
	kit.Register(k, kit.Can(authz.CommandCrisis), op{OperationID: "activate-crisis-plan", Method: post, Path: "/crises/{id}/activate", Tags: cr,
		Summary: "Activate an approved plan: its steps for the level become tasks", Errors: []int{nf, cf}}, r.activateCrisis)
	kit.Register(k, kit.Can(authz.CommandCrisis), op{OperationID: "change-crisis-level", Method: post, Path: "/crises/{id}/level", Tags: cr,
		Summary: "Change the level; the new level's steps become tasks", Errors: []int{nf, cf}}, r.changeLevel)
	kit.Register(k, kit.Can(authz.CommandCrisis), op{OperationID: "recover-crisis", Method: post, Path: "/crises/{id}/recover", Tags: cr,
		Summary: "Move an active crisis to recovery", Errors: []int{nf, cf}}, r.recoverCrisis)
	kit.Register(k, kit.Can(authz.CommandCrisis), op{OperationID: "close-crisis", Method: post, Path: "/crises/{id}/close", Tags: cr,
		Summary: "Close a crisis with a summary; its review opens", Errors: []int{nf, cf}}, r.closeCrisis)
	kit.Register(k, kit.Can(authz.CommandCrisis), op{OperationID: "show-crisis-publicly", Method: post, Path: "/crises/{id}/show-public", Tags: cr,
		Summary: "Put the crisis on the public site before its first public notice (audited)", Errors: []int{nf, cf}}, r.showPublicly)
	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "list-crisis-tasks", Method: get, Path: "/crises/{id}/tasks", Tags: cr,
		Summary: "List a crisis's tasks", Errors: []int{nf}}, r.listTasks)
	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "list-crisis-timeline", Method: get, Path: "/crises/{id}/timeline", Tags: cr,
		Summary: "List a crisis's timeline, oldest first", Errors: []int{nf}}, r.listTimeline)
	kit.Register(k, kit.Can(authz.WriteTimeline), op{OperationID: "add-crisis-note", Method: post, Path: "/crises/{id}/timeline", Tags: cr,
		Summary: "Write on a crisis's timeline", DefaultStatus: created, Errors: []int{nf, cf}}, r.addNote)
	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "stream-crisis-events", Method: get, Path: "/crises/{id}/events", Tags: cr,
		Summary: "Follow a crisis's changes as Server-Sent Events", Responses: eventStream(), Errors: []int{nf}}, r.crisisEvents)

	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "get-task", Method: get, Path: "/tasks/{id}", Tags: tk,
		Summary: "Get a task", Errors: []int{nf}}, r.getTask)
	kit.Register(k, kit.Can(authz.WorkTasks), op{OperationID: "update-task", Method: patch, Path: "/tasks/{id}", Tags: tk,
		Summary: "Tick or untick a task: its owner, the owner's department or a commander may", Errors: []int{nf, cf}}, r.updateTask)
}
