package web

import "crisisdesk/internal/web/kit"

// Each form has two tables. Rules explain the domain's own validation
// (run here first, with the domain's Validate); refusals explain what the
// service refuses once the rules pass: a taken name, a vanished
// department, the last admin. The service's own messages are English and
// never shown.
var (
	userRules = kit.FieldKeys{
		"name":          "err.user_name",
		"display_name":  "err.display_name",
		"email":         "err.email",
		"role":          "err.role",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
	userRefusals = kit.FieldKeys{
		"name":          "err.user_name_taken",
		"role":          "err.last_admin",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
	departmentRules = kit.FieldKeys{
		"code":  "err.department_code",
		"name":  "err.department_name",
		"email": "err.email",
	}
	departmentRefusals = kit.FieldKeys{
		"code": "err.department_code_taken",
	}
	passwordRules = kit.FieldKeys{
		"password": "err.password",
	}
	passwordRefusals = kit.FieldKeys{
		"current_password": "err.current_password",
		"password":         "err.password_same",
	}
)
