// Package feedback is the staff UI's room for the public's questions and
// feedback (/desk/feedback): the list with its filters and exports, the
// page of one with its triage, reply, action, merge, FAQ answer and
// correction link, feedback recorded for a department or an expert, and
// their personal links.
package feedback

import (
	"crisisdesk/internal/rumour"
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path      = "/desk/feedback"       // the list; Path/{id} is one
	LinksPath = "/desk/feedback/links" // personal links of departments and experts
)

// Room serves the feedback pages; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Feedback feedback.Service
	Crises   crisis.Service  // the crisis to triage to
	Notices  notice.Service  // the corrections to link
	Accounts account.Service // owners and departments
	Experts  expert.Service  // outside experts who send feedback
	BaseURL  string          // for the personal links shown
	// Rumours are the register's rumours a question may mention.
	Rumours rumour.Service
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewFeedback, http.MethodGet, Path, h.listPage),
		kit.Need(authz.FeedbackContact, http.MethodGet, Path+"/export.csv", h.export),
		kit.Need(authz.FeedbackContact, http.MethodGet, Path+"/export.xlsx", h.export),
		kit.Need(authz.SubmitFeedback, http.MethodGet, Path+"/new", h.newPage),
		kit.Need(authz.SubmitFeedback, http.MethodPost, Path+"/new", h.record),
		kit.Need(authz.FeedbackLinks, http.MethodGet, LinksPath, h.linksPage),
		kit.Need(authz.FeedbackLinks, http.MethodPost, LinksPath, h.createLink),
		kit.Need(authz.FeedbackLinks, http.MethodPost, LinksPath+"/revoke", h.revokeLink),
		kit.Need(authz.ViewFeedback, http.MethodGet, Path+"/{id}", h.detailPage),
		kit.Need(authz.TriageFeedback, http.MethodPost, Path+"/{id}/triage", h.triage),
		kit.Need(authz.ReplyFeedback, http.MethodPost, Path+"/{id}/reply", h.reply),
		kit.Need(authz.ReplyFeedback, http.MethodPost, Path+"/{id}/action", h.action),
		kit.Need(authz.TriageFeedback, http.MethodPost, Path+"/{id}/merge", h.merge),
		kit.Need(authz.TriageFeedback, http.MethodPost, Path+"/{id}/close", h.close),
		kit.Need(authz.PublishFAQ, http.MethodPost, Path+"/{id}/publish", h.publish),
		kit.Need(authz.PublishFAQ, http.MethodPost, Path+"/{id}/unpublish", h.unpublish),
		kit.Need(authz.PublishFAQ, http.MethodPost, Path+"/{id}/correction", h.linkCorrection),
		kit.Need(authz.TriageFeedback, http.MethodPost, Path+"/{id}/rumour", h.linkRumour),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "feedback", Templates: t, Flashes: map[string]string{
		"feedback_recorded":    "feedback.flash.recorded",
		"feedback_triaged":     "feedback.flash.triaged",
		"feedback_replied":     "feedback.flash.replied",
		"feedback_action":      "feedback.flash.action",
		"feedback_merged":      "feedback.flash.merged",
		"feedback_closed":      "feedback.flash.closed",
		"feedback_published":   "feedback.flash.published",
		"feedback_unpublished": "feedback.flash.unpublished",
		"feedback_correction":  "feedback.flash.correction",
		"feedback_rumour":      "feedback.flash.rumour",
		"feedback_link_made":   "feedback.flash.link_made",
		"feedback_link_gone":   "feedback.flash.link_revoked",
	}}
}

// rules explain the domain's validation, field by field.
var rules = kit.FieldKeys{
	"message":       "err.feedback_message",
	"contact":       "err.feedback_contact",
	"category":      "err.feedback_choice",
	"priority":      "err.feedback_choice",
	"crisis_id":     "err.feedback_crisis",
	"owner_id":      "err.feedback_owner",
	"tags":          "err.feedback_tags",
	"reply":         "err.feedback_text",
	"action":        "err.feedback_text",
	"question":      "err.feedback_text",
	"answer":        "err.feedback_text",
	"into":          "err.feedback_into",
	"correction_id": "err.feedback_correction",
	"rumour_id":     "err.feedback_rumour",
	"source":        "err.feedback_source",
	"source_id":     "err.feedback_source",
	"label":         "err.feedback_label",
	"notice_id":     "err.feedback_notice",
}
