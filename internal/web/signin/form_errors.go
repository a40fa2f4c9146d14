package signin

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = mfaView{}
	_ kit.Form = passwordForm{}
	_ kit.Form = signinCodeForm{}
	_ kit.Form = signinForm{}
)

// FormErrors implements kit.Form.
func (v mfaView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form.
func (f passwordForm) FormErrors() kit.FieldErrors { return f.Errors }

// FormErrors implements kit.Form.
func (f signinCodeForm) FormErrors() kit.FieldErrors { return f.Errors }

// FormErrors implements kit.Form: a refused sign-in is the form's own
// message.
func (f signinForm) FormErrors() kit.FieldErrors {
	if f.Error == "" {
		return nil
	}
	return kit.FieldErrors{"": f.Error}
}
