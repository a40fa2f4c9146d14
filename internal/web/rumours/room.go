// Package rumours is the staff UI's room for the rumour register: the
// list, the form, and the rumour page with its sightings (links and
// screenshots), its verdict and the answer that starts a clarification
// notice.
package rumours

import (
	"crisisdesk/internal/feedback"
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/web/kit"
)

// Path is the register; Path/{id} is one rumour.
const Path = "/desk/rumours"

// maxSightingBody is the largest sighting form: a screenshot and its text.
const maxSightingBody = rumour.MaxImage + 1<<20

// Room serves the register; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Rumours  rumour.Service
	Crises   crisis.Service  // the crisis a rumour belongs to
	Accounts account.Service // owners
	Catalog  *i18n.Catalog   // the clarification's words in every language
	// Feedback lists the public's questions that mention a rumour.
	Feedback feedback.Service
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewRumours, http.MethodGet, Path, h.listPage),
		kit.Need(authz.EditRumour, http.MethodGet, Path+"/new", h.newPage),
		kit.Need(authz.EditRumour, http.MethodPost, Path+"/new", h.create),
		kit.Need(authz.ViewRumours, http.MethodGet, Path+"/{id}", h.rumourPage),
		kit.Need(authz.EditRumour, http.MethodPost, Path+"/{id}", h.save),
		kit.WithBody(maxSightingBody, kit.Need(authz.EditRumour, http.MethodPost, Path+"/{id}/sightings", h.addSighting)),
		kit.Need(authz.ViewRumours, http.MethodGet, Path+"/{id}/sightings/{sighting}", h.image),
		kit.Need(authz.EditRumour, http.MethodPost, Path+"/{id}/answer", h.answer),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "rumours", Templates: t, Flashes: map[string]string{
		"rumour_created":  "rumour.flash.created",
		"rumour_saved":    "rumour.flash.saved",
		"rumour_sighting": "rumour.flash.sighting",
		"rumour_answered": "rumour.flash.answered",
	}}
}

// rules explain the domain's validation of a rumour and a sighting.
var rules = kit.FieldKeys{
	"claim":      "rumour.err.claim",
	"facts":      "rumour.err.facts",
	"verdict":    "rumour.err.verdict",
	"spread":     "rumour.err.spread",
	"first_seen": "rumour.err.first_seen",
	"crisis_id":  "rumour.err.crisis",
	"owner_id":   "rumour.err.owner",
	"seen_at":    "rumour.err.seen_at",
	"place":      "rumour.err.place",
	"url":        "rumour.err.url",
	"note":       "rumour.err.note",
	"image":      "rumour.err.image",
}
