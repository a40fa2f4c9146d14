package notices

import "crisisdesk/internal/web/kit"

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = noticeEditView{}
	_ kit.Form = importView{}
	_ kit.Form = noticeView{}
)

// FormErrors implements kit.Form.
func (v noticeEditView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form.
func (v importView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form: a refused action is the page's own
// message.
func (v noticeView) FormErrors() kit.FieldErrors {
	if v.Error == "" {
		return nil
	}
	return kit.FieldErrors{"": v.Error}
}
