// Package surveys is the staff UI's room for the satisfaction surveys:
// the list with the trend of the plan's measures across crises, the
// builder, sending and closing, the live results (free text only for the
// roles that read it) and their export.
package surveys

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/web/kit"
)

// Path lists the surveys; Path/{id} is one.
const Path = "/desk/surveys"

// Room serves the surveys; its fields are what it needs.
type Room struct {
	Kit     *kit.Kit
	Surveys survey.Service
	Crises  crisis.Service // the closed crises a survey is of
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewSurveys, http.MethodGet, Path, h.listPage),
		kit.Need(authz.EditSurvey, http.MethodPost, Path+"/new", h.create),
		kit.Need(authz.ViewSurveys, http.MethodGet, Path+"/{id}", h.surveyPage),
		kit.Need(authz.EditSurvey, http.MethodGet, Path+"/{id}/edit", h.editPage),
		kit.Need(authz.EditSurvey, http.MethodPost, Path+"/{id}/edit", h.save),
		kit.Need(authz.EditSurvey, http.MethodPost, Path+"/{id}/send", h.send),
		kit.Need(authz.EditSurvey, http.MethodPost, Path+"/{id}/close", h.close),
		kit.Need(authz.ViewSurveys, http.MethodGet, Path+"/{id}/results.xlsx", h.export),
		kit.Need(authz.ViewSurveys, http.MethodGet, Path+"/{id}/results.csv", h.export),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and confirmations, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "surveys", Templates: t, Flashes: map[string]string{
		"survey_created": "survey.flash.created",
		"survey_saved":   "survey.flash.saved",
		"survey_sent":    "survey.flash.sent",
		"survey_closed":  "survey.flash.closed",
	}}
}
