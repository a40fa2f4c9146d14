package plans

import (
	"errors"
	"regexp"
	"strings"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// planRules explain the plan editor's field errors. Fields of repeated
// rows are looked up without their position: "steps[2].deadline" is
// "steps.deadline", and its message shows beside row 2's field.
var planRules = kit.FieldKeys{
	"code":                "err.plan_code",
	"type_id":             "err.choose",
	"title":               "err.plan_title",
	"activation":          "err.level",
	"activation_deadline": "err.duration",
	"first_notice_due":    "err.duration",
	"review_months":       "err.review_months",
	"steps.phase":         "err.choose",
	"steps.title":         "err.required",
	"steps.levels":        "err.levels",
	"steps.owner":         "err.owner",
	"steps.deadline":      "err.duration",
	"steps.key":           "err.step_key",
	"templates.level":     "err.choose",
	"templates.audience":  "err.choose",
	"templates.headline":  "err.required",
	"templates.body":      "err.required",
	"matrix.level":        "err.choose",
	"matrix.audience":     "err.choose",
	"matrix.cadence":      "err.duration",
	"matrix.phase":        "err.choose",
}

// planRefusals explain what the plan service refuses once the rules pass.
var planRefusals = kit.FieldKeys{
	"code":    "err.plan_code_taken",
	"type_id": "err.choose",
}

var rowIndexRe = regexp.MustCompile(`\[\d+\]`)

// planFieldErrors translates the plan editor's invalid fields. A template
// line with an unknown placeholder says which one and lists the known.
func planFieldErrors(tr i18n.Translator, err error, keys kit.FieldKeys, f planForm) (kit.FieldErrors, bool) {
	if fault.CodeOf(err) != fault.Invalid {
		return nil, false
	}
	list, isList := errors.AsType[fault.Fields](err)
	if !isList {
		list = fault.Fields{fault.As(err)}
	}
	fe := kit.FieldErrors{}
	for _, e := range list {
		field := strings.Replace(e.Field, ".owner_role", ".owner", 1)
		if msg, isText := kit.TextMessage(tr, e); isText {
			// Beside the field where the form shows one, and at the top
			// in any case, since not every text of a plan has a slot.
			if _, dup := fe[field]; !dup {
				fe[field] = msg
			}
			if _, dup := fe[""]; !dup {
				fe[""] = msg
			}
			continue
		}
		key, known := keys[rowIndexRe.ReplaceAllString(field, "")]
		if !known {
			fe[""] = tr.T("err.invalid")
			continue
		}
		if _, dup := fe[field]; dup {
			continue
		}
		msg := tr.T(key)
		if text, ok := templateText(f, field); ok {
			if bad := plan.UnknownPlaceholders(text); len(bad) > 0 {
				known := make([]string, len(plan.Placeholders))
				for i, p := range plan.Placeholders {
					known[i] = "{{" + p + "}}"
				}
				msg = tr.T("err.placeholder", "Name", "{{"+bad[0]+"}}", "Known", strings.Join(known, " "))
			}
		}
		fe[field] = msg
	}
	if _, ok := fe[""]; !ok {
		fe[""] = tr.T("err.form")
	}
	return fe, true
}

// templateText returns the text of templates[i].headline or .body.
func templateText(f planForm, field string) (string, bool) {
	for i, t := range f.Templates {
		switch field {
		case kit.RowName("templates", i, "headline"):
			return t.Headline, true
		case kit.RowName("templates", i, "body"):
			return t.Body, true
		}
	}
	return "", false
}

// planErrors returns the form's own parse errors together with what the
// domain's Validate finds, so that one save shows every problem at once.
func planErrors(bad fault.Fields, title string, body plan.Body) error {
	body.Normalize()
	return kit.MergeFields(bad, plan.Validate(title, body))
}
