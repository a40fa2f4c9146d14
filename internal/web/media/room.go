// Package media is the staff UI's room for the media desk: the inquiry
// log with each inquiry's reply-by clock and its answer, the directory of
// journalists, and the social media accounts with what was posted for
// each notice.
package media

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path            = "/desk/media"             // the inquiry log and the directory
	JournalistsPath = "/desk/media/journalists" // JournalistsPath/{id} is one
	InquiriesPath   = "/desk/media/inquiries"   // InquiriesPath/{id} is one
	SocialPath      = "/desk/media/social"      // the accounts and the posts
)

// peopleLimit bounds the owners a form offers.
const peopleLimit = 500

// Room serves the media desk; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Press    press.Service
	Accounts account.Service // the owners of inquiries
	Crises   crisis.Service  // what an inquiry is about
	Notices  notice.Service  // the notices that answered it
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewMedia, http.MethodGet, Path, h.deskPage),
		kit.Need(authz.ViewMedia, http.MethodGet, InquiriesPath+".csv", h.exportInquiries),
		kit.Need(authz.ViewMedia, http.MethodGet, InquiriesPath+".xlsx", h.exportInquiries),
		kit.Need(authz.AnswerInquiry, http.MethodGet, InquiriesPath+"/new", h.newInquiryPage),
		kit.Need(authz.AnswerInquiry, http.MethodPost, InquiriesPath+"/new", h.logInquiry),
		kit.Need(authz.ViewMedia, http.MethodGet, InquiriesPath+"/{id}", h.inquiryPage),
		kit.Need(authz.AnswerInquiry, http.MethodPost, InquiriesPath+"/{id}/answer", h.answer),
		kit.Need(authz.ManageMedia, http.MethodGet, JournalistsPath+"/new", h.newJournalistPage),
		kit.Need(authz.ManageMedia, http.MethodPost, JournalistsPath+"/new", h.createJournalist),
		kit.Need(authz.ManageMedia, http.MethodGet, JournalistsPath+"/{id}", h.journalistPage),
		kit.Need(authz.ManageMedia, http.MethodPost, JournalistsPath+"/{id}", h.saveJournalist),
		kit.Need(authz.ViewMedia, http.MethodGet, ReleasesPath, h.releasesPage),
		kit.Need(authz.ViewMedia, http.MethodGet, ReleasesPath+"/{id}", h.releasePage),
		kit.Need(authz.ManageMedia, http.MethodPost, ReleasesPath+"/{id}", h.chooseRecipients),
		kit.Need(authz.ViewMedia, http.MethodGet, ConferencesPath, h.conferencesPage),
		kit.Need(authz.ManageMedia, http.MethodPost, ConferencesPath, h.addConference),
		kit.Need(authz.ViewMedia, http.MethodGet, ConferencesPath+"/{id}/invitation.ics", h.invitation),
		kit.Need(authz.ViewMedia, http.MethodGet, SocialPath, h.socialPage),
		kit.Need(authz.ManageMedia, http.MethodPost, SocialPath+"/accounts", h.addAccount),
		kit.Need(authz.ManageMedia, http.MethodPost, SocialPath+"/posts", h.recordPost),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "media", Templates: t, Flashes: map[string]string{
		"media_journalist_created": "media.flash.journalist_created",
		"media_journalist_saved":   "media.flash.journalist_saved",
		"media_inquiry_logged":     "media.flash.inquiry_logged",
		"media_inquiry_answered":   "media.flash.inquiry_answered",
		"media_account_added":      "media.flash.account_added",
		"media_post_recorded":      "media.flash.post_recorded",
		"media_recipients_saved":   "media.flash.recipients_saved",
		"media_conference_added":   "media.flash.conference_added",
	}}
}
