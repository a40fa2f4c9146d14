package feedback

import "crisisdesk/internal/fault"

// feedbackField turns a lookup that found nothing into a refusal of
// field; other errors pass.
func feedbackField(field string, err error) error {
	if fault.Is(err, fault.NotFound) {
		return fault.Field(field, "no feedback has this reference")
	}
	return err
}
