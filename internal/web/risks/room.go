// Package risks is the staff UI's room for the risk register: the 5×5
// heat map and the register, a risk's page with its rating history,
// reviews, mitigations and links, and the form that raises a risk (also
// in one step from a crisis room or a drill report).
package risks

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/web/kit"
)

// Path is the register; Path/{id} is one risk.
const Path = "/desk/risks"

// Room serves the register; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Risks    risk.Service
	Accounts account.Service // owners
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewRisks, http.MethodGet, Path, h.registerPage),
		kit.Need(authz.ViewRisks, http.MethodGet, Path+"/register.xlsx", h.export),
		kit.Need(authz.EditRisks, http.MethodGet, Path+"/new", h.newPage),
		kit.Need(authz.EditRisks, http.MethodPost, Path+"/new", h.create),
		kit.Need(authz.ViewRisks, http.MethodPost, Path+"/alerts/read", h.markRead),
		kit.Need(authz.ViewRisks, http.MethodGet, Path+"/{id}", h.riskPage),
		kit.Need(authz.EditRisks, http.MethodGet, Path+"/{id}/edit", h.editPage),
		kit.Need(authz.EditRisks, http.MethodPost, Path+"/{id}/edit", h.save),
		kit.Need(authz.RateRisks, http.MethodPost, Path+"/{id}/rate", h.rate),
		kit.Need(authz.RateRisks, http.MethodPost, Path+"/{id}/review", h.review),
		kit.Need(authz.EditRisks, http.MethodPost, Path+"/{id}/link", h.link),
		kit.Need(authz.EditRisks, http.MethodPost, Path+"/{id}/mitigations", h.addMitigation),
		kit.Need(authz.ViewRisks, http.MethodPost, Path+"/{id}/mitigation-track", h.trackMitigation), // its owner, or risk.mitigate
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "risks", Templates: t, Flashes: map[string]string{
		"risk_created":      "risk.flash.created",
		"risk_saved":        "risk.flash.saved",
		"risk_rated":        "risk.flash.rated",
		"risk_reviewed":     "risk.flash.reviewed",
		"risk_linked":       "risk.flash.linked",
		"mitigation_added":  "risk.flash.mitigation_added",
		"mitigation_status": "risk.flash.mitigation_tracked",
		"risk_alerts_read":  "risk.flash.alerts_read",
	}}
}
