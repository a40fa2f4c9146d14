package crises

import (
	"crisisdesk/internal/lessons"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// declareForm is the form that declares a crisis. Times are typed in a
// datetime-local input and read in the chosen offset from UTC.
type declareForm struct {
	Title      string
	TypeID     int64
	Level      string
	Exercise   bool
	Location   string
	Area       string
	OccurredAt string
	DetectedAt string
	TZ         int // minutes east of UTC
	Summary    string
	// Texts are the optional versions of title, location and summary per
	// language (crisis.Languages), posted as texts.LANG.title and so on.
	Texts crisis.Texts
	// Activate asks to activate the type's approved plan in the same step
	// (when it has exactly one).
	Activate bool
	// PlanID is the approved plan the form was opened from ("Declare a
	// crisis with this plan"): it chooses the type and is named (Plan).
	PlanID int64
	Plan   *plan.Plan
	Errors kit.FieldErrors
}

// declareView is the page around the form.
type declareView struct {
	Form   declareForm
	Groups []typeGroup
	Levels []catalog.Level
	Zones  []kit.ZoneOption
	// Unplanned is true when some crisis type has no approved plan: the
	// form then says which have one.
	Unplanned bool
	// Lessons are the most relevant past lessons for the type chosen.
	Lessons []lessons.Hit
}

// option is a choice of a select.
type option struct {
	Value   string
	Label   string
	Planned bool // a crisis type with an approved plan in force
}

// typeGroup is an optgroup of crisis types.
type typeGroup struct {
	Category catalog.Category
	Types    []option
}

var declareRules = kit.FieldKeys{
	"title":       "err.crisis_title",
	"type_id":     "err.choose",
	"level":       "err.level",
	"location":    "err.required",
	"occurred_at": "err.occurred_at",
	"detected_at": "err.detected_at",
	"summary":     "err.summary_long",
}

func init() {
	for _, lang := range crisis.Languages {
		declareRules["texts."+lang+".title"] = "err.crisis_title"
		declareRules["texts."+lang+".location"] = "err.invalid"
		declareRules["texts."+lang+".summary"] = "err.summary_long"
	}
}

func declareFormFrom(r *http.Request) declareForm {
	tz, _ := strconv.Atoi(r.PostFormValue("tz"))
	return declareForm{
		Title:      strings.TrimSpace(r.PostFormValue("title")),
		TypeID:     kit.FormInt(r, "type_id"),
		Level:      r.PostFormValue("level"),
		Exercise:   r.PostFormValue("exercise") != "",
		Location:   strings.TrimSpace(r.PostFormValue("location")),
		Area:       strings.TrimSpace(r.PostFormValue("area")),
		OccurredAt: strings.TrimSpace(r.PostFormValue("occurred_at")),
		DetectedAt: strings.TrimSpace(r.PostFormValue("detected_at")),
		TZ:         tz,
		Summary:    strings.TrimSpace(r.PostFormValue("summary")),
		Activate:   r.PostFormValue("activate") != "",
		PlanID:     kit.FormInt(r, "plan_id"),
		Texts:      textsFrom(r),
	}
}

// textsFrom reads the versions per language the form posts.
func textsFrom(r *http.Request) crisis.Texts {
	ts := crisis.Texts{}
	for _, lang := range crisis.Languages {
		at := "texts." + lang + "."
		w := crisis.Wording{Title: strings.TrimSpace(r.PostFormValue(at + "title")),
			Location: strings.TrimSpace(r.PostFormValue(at + "location")), Summary: strings.TrimSpace(r.PostFormValue(at + "summary"))}
		if !w.Empty() {
			ts[lang] = w
		}
	}
	return ts
}

// textRow is one language's version on the form, with its fields' errors.
type textRow struct {
	Lang                              string
	Wording                           crisis.Wording
	TitleErr, LocationErr, SummaryErr string
}

// TextRows are the form's versions, one row per language.
func (f declareForm) TextRows() []textRow {
	rows := make([]textRow, 0, len(crisis.Languages))
	for _, lang := range crisis.Languages {
		at := "texts." + lang + "."
		rows = append(rows, textRow{Lang: lang, Wording: f.Texts[lang],
			TitleErr: f.Errors[at+"title"], LocationErr: f.Errors[at+"location"], SummaryErr: f.Errors[at+"summary"]})
	}
	return rows
}

// declaration reads the form into a declaration; times that do not parse
// are reported against their fields.
func (f declareForm) declaration() (crisis.Declaration, fault.Fields) {
	var bad fault.Fields
	when := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		if t, ok := kit.FormTime(s, f.TZ); ok {
			return t
		}
		bad.Add(field, "is not a date and time")
		return time.Time{}
	}
	d := crisis.Declaration{Title: f.Title, TypeID: f.TypeID, Exercise: f.Exercise, Location: f.Location, Area: f.Area,
		Summary: f.Summary, Texts: f.Texts, OccurredAt: when("occurred_at", f.OccurredAt), DetectedAt: when("detected_at", f.DetectedAt)}
	if l, err := catalog.ParseLevel(f.Level); err == nil {
		d.Level = l
	}
	if f.TZ < -12*60 || f.TZ > 14*60 {
		bad.Add("occurred_at", "bad offset")
	}
	d.Normalize()
	return d, bad
}
