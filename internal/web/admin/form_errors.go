package admin

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = departmentView{}
	_ kit.Form = userView{}
)

// FormErrors implements kit.Form.
func (v departmentView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors implements kit.Form.
func (v userView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors gives the expert form's errors to the error summary.
func (v expertView) FormErrors() kit.FieldErrors { return v.Form.Errors }
