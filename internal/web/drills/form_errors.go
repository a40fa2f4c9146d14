package drills

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = formView{}
	_ kit.Form = checklistView{}
	_ kit.Form = drillView{}
)

// FormErrors implements kit.Form.
func (v formView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors implements kit.Form.
func (v checklistView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form: the safety assessment's.
func (v drillView) FormErrors() kit.FieldErrors { return v.Safety.Errors }
