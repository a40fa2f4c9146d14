// Package team is the staff UI's room for the crisis communication team:
// the members and who is on duty, the team roles and their deputies, the
// duty rota with its swaps and calendars, training (courses, sessions,
// certificates, the shared library) and recruitment.
package team

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path         = "/desk/team"      // the team and who is on duty
	MembersPath  = Path + "/members" // MembersPath/{id} is one member
	RotaPath     = Path + "/rota"
	RolesPath    = Path + "/roles"
	TrainingPath = Path + "/training"
	RecruitPath  = Path + "/recruitment"
	LibraryPath  = Path + "/library"
	// RotaFeedPath + a person's calendar-link secret (made with the drills'
	// calendar link) is their own shifts for calendar apps.
	RotaFeedPath = "/desk/feeds/rota/"
)

// maxImport bounds an imported team file; maxUpload a library file with
// its form.
const (
	maxImport = 2 << 20
	maxUpload = team.MaxMaterial + 1<<20
)

// Room serves the team's pages; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Team     team.Service
	Accounts account.Service // staff members' accounts
	Experts  expert.Service  // outside experts a member may be
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	get, post := http.MethodGet, http.MethodPost
	return []kit.Route{
		kit.Need(authz.ViewTeam, get, Path, h.teamPage),
		kit.Need(authz.ViewTeamPersonal, get, Path+"/export.csv", h.exportTeam),
		kit.Need(authz.ViewTeamPersonal, get, Path+"/export.xlsx", h.exportTeam),
		kit.WithBody(maxImport, kit.Need(authz.ManageTeam, post, Path+"/import", h.importTeam)),
		kit.Need(authz.ManageTeam, get, MembersPath+"/new", h.newMemberPage),
		kit.Need(authz.ManageTeam, post, MembersPath+"/new", h.createMember),
		kit.Need(authz.ViewTeam, get, MembersPath+"/{id}", h.memberPage),
		kit.Need(authz.ManageTeam, post, MembersPath+"/{id}", h.saveMember),
		kit.Need(authz.ManageTeam, post, MembersPath+"/{id}/delete", h.deleteMember),
		kit.Need(authz.ViewTeam, get, MembersPath+"/{id}/rota.ics", h.memberCalendar),

		kit.Need(authz.ViewTeam, get, RotaPath, h.rotaPage),
		kit.Public(get, RotaFeedPath+"{secret}", h.linkedCalendar), // the secret is the key
		kit.Need(authz.ManageRota, post, RotaPath, h.addShift),
		kit.Need(authz.ViewTeam, get, RotaPath+".csv", h.exportRota),
		kit.Need(authz.ViewTeam, get, RotaPath+".xlsx", h.exportRota),
		kit.Need(authz.ManageRota, post, RotaPath+"/{id}/delete", h.deleteShift),
		kit.Need(authz.ManageRota, post, RotaPath+"/{id}/swap", h.swapShift),

		kit.Need(authz.ViewTeam, get, RolesPath, h.rolesPage),
		kit.Need(authz.ManageTeam, post, RolesPath, h.addRole),
		kit.Need(authz.ManageTeam, post, RolesPath+"/{id}", h.saveRole),
		kit.Need(authz.ViewTeam, get, RolesPath+"/{id}/rota.ics", h.roleCalendar),

		kit.Need(authz.ViewTeam, get, TrainingPath, h.trainingPage),
		kit.Need(authz.ManageTraining, post, TrainingPath+"/courses", h.addCourse),
		kit.Need(authz.ManageTraining, post, TrainingPath+"/sessions", h.addSession),
		kit.Need(authz.ManageTraining, post, TrainingPath+"/sessions/{id}/attendance", h.setAttendance),
		kit.Need(authz.ManageTraining, post, TrainingPath+"/certificates", h.addCertificate),
		kit.Need(authz.ViewTeam, get, TrainingPath+".csv", h.exportTraining),
		kit.Need(authz.ViewTeam, get, TrainingPath+".xlsx", h.exportTraining),

		kit.Need(authz.ViewTeam, get, LibraryPath, h.libraryPage),
		kit.WithBody(maxUpload, kit.Need(authz.ShareMaterials, post, LibraryPath, h.upload)),
		kit.Need(authz.ViewTeam, get, LibraryPath+"/{id}/v/{n}", h.download),

		kit.Need(authz.Recruit, get, RecruitPath, h.recruitPage),
		kit.Need(authz.Recruit, post, RecruitPath+"/openings", h.addOpening),
		kit.Need(authz.Recruit, post, RecruitPath+"/candidates", h.addCandidate),
		kit.Need(authz.Recruit, post, RecruitPath+"/candidates/{id}/interviews", h.addInterview),
		kit.Need(authz.Recruit, post, RecruitPath+"/candidates/{id}/decision", h.decide),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	flashes := map[string]string{}
	for _, k := range []string{"member_added", "member_saved", "member_deleted", "imported", "shift_added", "shift_deleted",
		"shift_swapped", "role_added", "role_saved", "course_added", "session_added", "attendance", "certificate_added",
		"uploaded", "opening_added", "candidate_added", "interview_added", "decided"} {
		flashes["team_"+k] = "team.flash." + k
	}
	return kit.Pages{Room: "team", Templates: t, Flashes: flashes}
}
