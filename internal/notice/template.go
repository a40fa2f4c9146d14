package notice

import (
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
)

// TimeFormat is how template placeholders show times: always UTC, so that
// a notice read anywhere says the same thing.
const TimeFormat = "2006-01-02 15:04 UTC"

// FromTemplate fills a plan template into the content of one language.
// The contact line is the template's, else values["contact"]; unknown or
// empty placeholders become "…" for the editor to notice.
func FromTemplate(t plan.Template, values map[string]string) Content {
	contact := values["contact"]
	if t.Contact != "" {
		contact = plan.Fill(t.Contact, values)
	}
	return Content{
		Language:    t.Language,
		Headline:    plan.Fill(t.Headline, values),
		Body:        plan.Fill(t.Body, values),
		Instruction: plan.Fill(t.Instruction, values),
		Contact:     contact,
	}
}

// TemplateCAP writes the CAP fields template t gives into c, filling only
// those still empty: a second language's template never overwrites what
// the first one, or a person, set.
func TemplateCAP(c *CAPInfo, t plan.Template, values map[string]string) {
	set := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst = v
		}
	}
	set(&c.Event, plan.Fill(t.CAP.Event, values))
	set(&c.Category, t.CAP.Category)
	set(&c.Urgency, t.CAP.Urgency)
	set(&c.Severity, t.CAP.Severity)
	set(&c.Certainty, t.CAP.Certainty)
	if t.CAP.Area != "" {
		set(&c.Area.Description, plan.Fill(t.CAP.Area, values))
	}
}

// Templates returns the plan's templates for a level and audience, one per
// language, in the preferred language order.
func Templates(p plan.Plan, l catalog.Level, a Audience) []plan.Template {
	var out []plan.Template
	for _, t := range p.Body.Templates {
		if t.Level == l && string(t.Audience) == string(a) {
			out = append(out, t)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && langRank(out[j].Language) < langRank(out[j-1].Language); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Values returns the placeholder values (plan.Placeholders) for crisis c of
// type typeName in lang. Title, location and summary are the crisis's
// version in lang, else converted from the other Chinese script, else the
// declared text (crisis.Crisis.In; conv may be nil). contact is left
// empty: the caller fills it from the plan's contacts or the office's
// settings.
func Values(c crisis.Crisis, typeName string, lang string, conv crisis.Converter) map[string]string {
	w := c.In(lang, conv)
	return map[string]string{
		"title":       w.Title,
		"type":        typeName,
		"level":       levelText(c.Level, lang),
		"location":    w.Location,
		"area":        c.Area,
		"occurred_at": formatTime(c.OccurredAt),
		"detected_at": formatTime(c.DetectedAt),
		"summary":     w.Summary,
		"contact":     "",
	}
}

func levelText(l catalog.Level, lang string) string {
	if !l.Valid() {
		return ""
	}
	switch lang {
	case "zh-Hant":
		return l.String() + "級"
	case "zh-Hans":
		return l.String() + "级"
	}
	return "Level " + l.String()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeFormat)
}
