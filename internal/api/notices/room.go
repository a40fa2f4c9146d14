// Package notices is the API's room for informing: notices and their
// workflow, CAP import, Chinese conversion, delivery progress and retries,
// and the staff's in-app inbox.
package notices

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/notice"
)

// Room holds what the notice operations need; every field is required.
type Room struct {
	Notices    notice.Service
	Deliveries delivery.Log     // progress, retries, the staff inbox
	Chinese    *hanzi.Converter // Traditional ⇄ Simplified
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created := http.StatusCreated
	nt, dl, me := []string{"notices"}, []string{"deliveries"}, []string{"me"}

	kit.Register(k, kit.Can(authz.ViewNotices), op{OperationID: "list-notices", Method: get, Path: "/notices", Tags: nt,
		Summary: "List notices, newest first"}, r.listNotices)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "create-notice", Method: post, Path: "/notices", Tags: nt,
		Summary: "Draft a notice", DefaultStatus: created}, r.createNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "convert-chinese", Method: post, Path: "/notices/convert-chinese", Tags: nt,
		Summary: "Start the other Chinese version of a text: Traditional to Simplified or back, for a person to review"}, r.convertChinese)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "import-cap-notice", Method: post, Path: "/notices/import-cap", Tags: nt,
		Summary:       "Draft a public notice from an upstream agency's CAP 1.2 message (the XML itself)",
		DefaultStatus: created, Errors: []int{http.StatusUnsupportedMediaType}, RequestBody: &huma.RequestBody{
			Content: map[string]*huma.MediaType{"application/xml": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}, r.importCAP)
	kit.Register(k, kit.Can(authz.ViewNotices), op{OperationID: "get-notice", Method: get, Path: "/notices/{id}", Tags: nt,
		Summary: "Get a notice", Errors: []int{nf}}, r.getNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "save-notice", Method: put, Path: "/notices/{id}", Tags: nt,
		Summary: "Change an unpublished notice; a submitted or approved one goes back to draft", Errors: []int{nf, cf}}, r.saveNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "submit-notice", Method: post, Path: "/notices/{id}/submit", Tags: nt,
		Summary: "Submit a draft for approval", Errors: []int{nf, cf}}, r.submitNotice)
	kit.Register(k, kit.Can(authz.ApproveNotice), op{OperationID: "approve-notice", Method: post, Path: "/notices/{id}/approve", Tags: nt,
		Summary: "Approve a submitted notice; not the author", Errors: []int{nf, cf}}, r.approveNotice)
	kit.Register(k, kit.Can(authz.ReturnNotice), op{OperationID: "return-notice", Method: post, Path: "/notices/{id}/return", Tags: nt,
		Summary: "Send a submitted or approved notice back to draft with a comment", Errors: []int{nf, cf}}, r.returnNotice)
	kit.Register(k, kit.Can(authz.PublishNotice), op{OperationID: "publish-notice", Method: post, Path: "/notices/{id}/publish", Tags: nt,
		Summary: "Publish an approved notice, or a commander's template draft on the fast path, in one transaction",
		Errors:  []int{nf, cf}}, r.publishNotice)
	kit.Register(k, kit.Can(authz.ReviewNoticeAfter), op{OperationID: "review-notice", Method: post, Path: "/notices/{id}/review", Tags: nt,
		Summary: "Review a fast-path notice after it was published", Errors: []int{nf, cf}}, r.reviewNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "correct-notice", Method: post, Path: "/notices/{id}/correct", Tags: nt,
		Summary: "Draft a correction of a published notice", DefaultStatus: created, Errors: []int{nf, cf}}, r.correctNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "cancel-notice", Method: post, Path: "/notices/{id}/cancel", Tags: nt,
		Summary: "Draft the cancellation of a published notice", DefaultStatus: created, Errors: []int{nf, cf}}, r.cancelNotice)
	kit.Register(k, kit.Can(authz.EditNotice), op{OperationID: "all-clear-notice", Method: post, Path: "/notices/{id}/all-clear", Tags: nt,
		Summary: "Draft the all-clear that ends a published notice's warning", DefaultStatus: created, Errors: []int{nf, cf}}, r.allClearNotice)
	kit.Register(k, kit.Can(authz.ViewNotices), op{OperationID: "list-notice-history", Method: get, Path: "/notices/{id}/history", Tags: nt,
		Summary: "The chain a notice belongs to, oldest first: the original and its published follow-ups", Errors: []int{nf}}, r.noticeHistory)

	kit.Register(k, kit.Can(authz.ViewDeliveries), op{OperationID: "get-notice-deliveries", Method: get, Path: "/notices/{id}/deliveries", Tags: dl,
		Summary: "A notice's delivery progress per channel, and its failed deliveries", Errors: []int{nf}}, r.noticeDeliveries)
	kit.Register(k, kit.Can(authz.RetryDeliveries), op{OperationID: "retry-notice-deliveries", Method: post, Path: "/notices/{id}/deliveries/retry", Tags: dl,
		Summary: "Queue a notice's failed and abandoned deliveries again", Errors: []int{nf, cf}}, r.retryDeliveries)

	kit.Register(k, kit.Can(authz.ReadInternalNotice), op{OperationID: "list-my-inbox", Method: get, Path: "/me/inbox", Tags: me,
		Summary: "The internal notices sent to me in the app, newest first, with their read state"}, r.listInbox)
	kit.Register(k, kit.Can(authz.ReadInternalNotice), op{OperationID: "mark-inbox-read", Method: post, Path: "/me/inbox/{id}/read", Tags: me,
		Summary: "Record that I read an internal notice", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, r.markInboxRead)
}
