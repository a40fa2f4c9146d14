package notices

import (
	"strconv"

	"crisisdesk/internal/web/kit"
)

// The pages of this room whose forms come back with errors; the kit opens
// them with the error summary.
var (
	_ kit.Form = noticeEditView{}
	_ kit.Form = importView{}
	_ kit.Form = noticeView{}
	_ kit.Form = publishView{}
)

// FormErrors implements kit.Form.
func (v noticeEditView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form.
func (v importView) FormErrors() kit.FieldErrors { return v.Errors }

// FormErrors implements kit.Form: a refused action is the page's own
// message, followed by each missing or bad field, named.
func (v noticeView) FormErrors() kit.FieldErrors { return refusal(v.Error, v.Problems) }

// FormErrors implements kit.Form: a refused publish says so and why.
func (v publishView) FormErrors() kit.FieldErrors { return refusal(v.Error, v.Problems) }

// refusal is a page's message and the fields it names, for the summary.
func refusal(msg string, problems []string) kit.FieldErrors {
	if msg == "" {
		return nil
	}
	fe := kit.FieldErrors{"": msg}
	for i, p := range problems {
		fe["problem-"+strconv.Itoa(i)] = p
	}
	return fe
}
