package crises

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = declareView{}
	_ kit.Form = reviewView{}
	_ kit.Form = roomView{}
)

// FormErrors implements kit.Form.
func (v declareView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors implements kit.Form.
func (v reviewView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form.
func (v roomView) FormErrors() kit.FieldErrors { return v.Errors }
