package web

import "crisisdesk/internal/web/kit"

// Each form has two tables. Rules explain the domain's own validation
// (run here first, with the domain's Validate); refusals explain what the
// service refuses once the rules pass: a taken name, a vanished
// department, the last admin. The service's own messages are English and
// never shown.
var (
	passwordRules = kit.FieldKeys{
		"password": "err.password",
	}
	passwordRefusals = kit.FieldKeys{
		"current_password": "err.current_password",
		"password":         "err.password_same",
	}
)

// maxDepartments is how many departments a page lists at once: a city has
// dozens, and the store pages at most 500.
const maxDepartments = 500
