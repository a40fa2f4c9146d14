package drills

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// drillForm is the new-drill and edit-drill form. Times are typed in the
// office's time zone.
type drillForm struct {
	ID           int64
	Title        string
	PlanID       int64
	Kind         drill.Kind
	Level        string
	Objectives   []objectiveRow
	Scenario     string
	StartsAt     string
	EndsAt       string
	Venue        string
	Equipment    string // one per line
	Users        []int64
	Outsiders    []drill.Participant
	ControllerID int64
	Observers    []int64
	Evaluators   []int64
	Lock         int64
	Errors       kit.FieldErrors
}

// objectiveRow is an objective as the form holds it: the steps and clocks
// as comma-separated keys and names.
type objectiveRow struct {
	Text   string
	Steps  string
	Clocks string
}

// formView is the page around the form.
type formView struct {
	Form   drillForm
	IsNew  bool
	Plans  []plan.Plan
	Kinds  []drill.Kind
	Levels []catalog.Level
	People []account.User
	Zone   string
}

var drillRules = kit.FieldKeys{
	"title":         "drill.err.title",
	"plan_id":       "drill.err.plan",
	"kind":          "err.choose",
	"level":         "err.level",
	"objectives":    "drill.err.objectives",
	"scenario":      "drill.err.scenario",
	"starts_at":     "drill.err.starts_at",
	"ends_at":       "drill.err.ends_at",
	"venue":         "err.required",
	"equipment":     "err.invalid",
	"participants":  "drill.err.participants",
	"controller_id": "err.choose",
	"observers":     "drill.err.observers",
	"evaluators":    "drill.err.observers",
}

const datetimeLocal = "2006-01-02T15:04"

func (h *Room) formOf(d drill.Drill) drillForm {
	loc := h.Kit.Location()
	f := drillForm{ID: d.ID, Title: d.Title, PlanID: d.PlanID, Kind: d.Kind, Level: d.Level.String(), Scenario: d.Scenario,
		StartsAt: d.StartsAt.In(loc).Format(datetimeLocal), EndsAt: d.EndsAt.In(loc).Format(datetimeLocal), Venue: d.Venue,
		Equipment: strings.Join(d.Equipment, "\n"), ControllerID: d.ControllerID, Observers: d.Observers, Evaluators: d.Evaluators,
		Lock: d.Lock}
	for _, o := range d.Objectives {
		f.Objectives = append(f.Objectives, objectiveRow{Text: o.Text, Steps: strings.Join(o.Steps, ", "), Clocks: strings.Join(o.Clocks, ", ")})
	}
	for _, p := range d.Participants {
		if p.UserID != 0 {
			f.Users = append(f.Users, p.UserID)
		} else {
			f.Outsiders = append(f.Outsiders, p)
		}
	}
	return f
}

func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func formFrom(r *http.Request) drillForm {
	f := drillForm{
		Title: strings.TrimSpace(r.PostFormValue("title")), PlanID: kit.FormInt(r, "plan_id"),
		Kind: drill.Kind(r.PostFormValue("kind")), Level: r.PostFormValue("level"),
		Scenario: strings.TrimSpace(r.PostFormValue("scenario")), StartsAt: strings.TrimSpace(r.PostFormValue("starts_at")),
		EndsAt: strings.TrimSpace(r.PostFormValue("ends_at")), Venue: strings.TrimSpace(r.PostFormValue("venue")),
		Equipment: r.PostFormValue("equipment"), Users: formIDs(r, "users"), ControllerID: kit.FormInt(r, "controller_id"),
		Observers: formIDs(r, "observers"), Evaluators: formIDs(r, "evaluators"), Lock: kit.FormInt(r, "lock"),
	}
	for i := range kit.RowCount(r, "objectives") {
		o := objectiveRow{Text: kit.RowField(r, "objectives", i, "text"), Steps: kit.RowField(r, "objectives", i, "steps"),
			Clocks: kit.RowField(r, "objectives", i, "clocks")}
		if (o.Text != "" || o.Steps != "" || o.Clocks != "") && kit.RowField(r, "objectives", i, "remove") == "" {
			f.Objectives = append(f.Objectives, o)
		}
	}
	for i := range kit.RowCount(r, "outsiders") {
		p := drill.Participant{Name: kit.RowField(r, "outsiders", i, "name"), Organisation: kit.RowField(r, "outsiders", i, "organisation"),
			Email: kit.RowField(r, "outsiders", i, "email"), Role: kit.RowField(r, "outsiders", i, "role")}
		if (p.Name != "" || p.Organisation != "" || p.Email != "") && kit.RowField(r, "outsiders", i, "remove") == "" {
			f.Outsiders = append(f.Outsiders, p)
		}
	}
	return f
}

// details reads the form into a drill's details; what does not parse is
// reported against its field.
func (h *Room) details(f drillForm) (drill.Details, fault.Fields) {
	var bad fault.Fields
	when := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		for _, layout := range []string{datetimeLocal, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
			if t, err := time.ParseInLocation(layout, s, h.Kit.Location()); err == nil {
				return t.UTC()
			}
		}
		bad.Add(field, "is not a date and time")
		return time.Time{}
	}
	d := drill.Details{Title: f.Title, PlanID: f.PlanID, Kind: f.Kind, Scenario: f.Scenario,
		StartsAt: when("starts_at", f.StartsAt), EndsAt: when("ends_at", f.EndsAt), Venue: f.Venue,
		Equipment: kit.SplitLines(f.Equipment), ControllerID: f.ControllerID, Observers: f.Observers, Evaluators: f.Evaluators}
	if l, err := catalog.ParseLevel(f.Level); err == nil {
		d.Level = l
	}
	for _, o := range f.Objectives {
		d.Objectives = append(d.Objectives, drill.Objective{Text: o.Text, Steps: kit.SplitList(o.Steps), Clocks: kit.SplitList(o.Clocks)})
	}
	for _, id := range f.Users {
		d.Participants = append(d.Participants, drill.Participant{UserID: id})
	}
	d.Participants = append(d.Participants, f.Outsiders...)
	return d, bad
}

// peopleLimit is how many users the form offers; an office has dozens.
const peopleLimit = 500

func (h *Room) renderForm(w http.ResponseWriter, r *http.Request, status int, f drillForm, isNew bool) {
	ctx := r.Context()
	plans, _, err := h.Plans.List(ctx, plan.Filter{Current: true, Limit: peopleLimit})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	approved, _, err := h.Plans.List(ctx, plan.Filter{Status: plan.Approved, Limit: peopleLimit})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, p := range approved {
		if !slices.ContainsFunc(plans, func(q plan.Plan) bool { return q.ID == p.ID }) {
			plans = append(plans, p)
		}
	}
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	users = slices.DeleteFunc(users, func(u account.User) bool { return u.Disabled })
	if kit.AddRow(r) == "objectives" || len(f.Objectives) == 0 {
		f.Objectives = append(f.Objectives, objectiveRow{})
	}
	if kit.AddRow(r) == "outsiders" || len(f.Outsiders) == 0 {
		f.Outsiders = append(f.Outsiders, drill.Participant{})
	}
	h.Kit.Render(w, r, status, "drill_edit", formView{Form: f, IsNew: isNew, Plans: plans, Kinds: drill.Kinds,
		Levels: catalog.Levels, People: users, Zone: h.Kit.Location().String()})
}

// has reports whether ids holds id, for the templates' checkboxes.
func (f drillForm) Has(ids []int64, id int64) bool { return slices.Contains(ids, id) }
