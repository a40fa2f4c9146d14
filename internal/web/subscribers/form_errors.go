package subscribers

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = channelsView{}
	_ kit.Form = webhooksView{}
	_ kit.Form = subscriberImportView{}
)

// FormErrors implements kit.Form.
func (v channelsView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// FormErrors implements kit.Form: the form's fields, and a refusal of an
// action on an endpoint as the form's own message.
func (v webhooksView) FormErrors() kit.FieldErrors {
	if v.Error == "" {
		return v.Form.Errors
	}
	fe := kit.FieldErrors{"": v.Error}
	for k, msg := range v.Form.Errors {
		if k != "" {
			fe[k] = msg
		}
	}
	return fe
}

// FormErrors implements kit.Form.
func (v subscriberImportView) FormErrors() kit.FieldErrors { return v.Errors }
