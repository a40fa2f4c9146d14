package plans

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = planEditView{}
	_ kit.Form = planView{}
	_ kit.Form = typeView{}
)

// FormErrors implements kit.Form.
func (v planEditView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors implements kit.Form.
func (v planView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form.
func (v typeView) FormErrors() kit.FieldErrors { return v.Form.Errors }
