package plans

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// planForm is the plan editor: every part of a plan's body as the form
// sends it, so that a refused save shows exactly what was typed.
type planForm struct {
	ID                 int64
	Code               string
	TypeID             int64
	Title              string
	Scope              string
	Activation         [4]string // criteria for levels I–IV
	ActivationDeadline string
	FirstNoticeDue     string
	ReviewMonths       string
	FastPath           []catalog.Level
	Steps              []stepRow
	Templates          []templateRow
	Matrix             []commRow
	Contacts           []plan.Contact
	Resources          []plan.Resource
	Lock               int64
	Errors             kit.FieldErrors
}

type stepRow struct {
	Key       string
	Phase     plan.Phase
	Levels    []catalog.Level
	Owner     string // "role:commander" or "dept:health"
	Deadline  string
	Title     string
	Checklist string // one item a line
}

// Has reports whether the step is ticked for level l.
func (s stepRow) Has(l catalog.Level) bool { return hasLevel(s.Levels, l) }

// ActivationFor returns the criteria typed for level l.
func (f planForm) ActivationFor(l catalog.Level) string {
	if !l.Valid() {
		return ""
	}
	return f.Activation[l-1]
}

// HasFastPath reports whether level l may publish a template at once.
func (f planForm) HasFastPath(l catalog.Level) bool { return hasLevel(f.FastPath, l) }

func hasLevel(list []catalog.Level, l catalog.Level) bool {
	for _, x := range list {
		if x == l {
			return true
		}
	}
	return false
}

type templateRow struct {
	Level       string
	Audience    plan.Audience
	Language    string
	Headline    string
	Body        string
	Instruction string
	Contact     string
	CAP         plan.TemplateCAP
}

type commRow struct {
	Key      string
	Level    string
	Audience string
	Content  string
	Channels string
	Cadence  string
	Phase    plan.Phase
}

func planFormOf(p plan.Plan) planForm {
	b := p.Body
	f := planForm{
		ID: p.ID, Code: p.Code, TypeID: p.TypeID, Title: p.Title, Scope: b.Scope,
		ActivationDeadline: durationText(b.ActivationDeadline), FirstNoticeDue: durationText(b.FirstNoticeDue),
		FastPath: b.FastPathLevels, Contacts: b.Contacts, Resources: b.Resources, Lock: p.Lock,
	}
	if b.ReviewMonths > 0 {
		f.ReviewMonths = strconv.Itoa(b.ReviewMonths)
	}
	for _, l := range catalog.Levels {
		f.Activation[l-1] = b.Activation[l]
	}
	for _, s := range b.Steps {
		owner := ""
		switch {
		case s.OwnerRole != "":
			owner = "role:" + string(s.OwnerRole)
		case s.OwnerDept != "":
			owner = "dept:" + s.OwnerDept
		}
		f.Steps = append(f.Steps, stepRow{Key: s.Key, Phase: s.Phase, Levels: s.Levels, Owner: owner,
			Deadline: durationText(s.Deadline), Title: s.Title, Checklist: strings.Join(s.Checklist, "\n")})
	}
	for _, t := range b.Templates {
		f.Templates = append(f.Templates, templateRow{Level: t.Level.String(), Audience: t.Audience, Language: t.Language, Headline: t.Headline, Body: t.Body,
			Instruction: t.Instruction, Contact: t.Contact, CAP: t.CAP})
	}
	for _, m := range b.Matrix {
		f.Matrix = append(f.Matrix, commRow{Key: m.Key, Level: m.Level.String(), Audience: m.Audience, Content: m.Content,
			Channels: strings.Join(m.Channels, ", "), Cadence: durationText(m.Cadence), Phase: m.Phase})
	}
	return f
}

func durationText(d plan.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.String()
}

// planFormFrom reads the editor. Rows left blank or marked for removal
// are dropped.
func planFormFrom(r *http.Request) planForm {
	f := planForm{
		Code:               strings.TrimSpace(r.PostFormValue("code")),
		TypeID:             kit.FormInt(r, "type_id"),
		Title:              strings.TrimSpace(r.PostFormValue("title")),
		Scope:              strings.TrimSpace(r.PostFormValue("scope")),
		ActivationDeadline: strings.TrimSpace(r.PostFormValue("activation_deadline")),
		FirstNoticeDue:     strings.TrimSpace(r.PostFormValue("first_notice_due")),
		ReviewMonths:       strings.TrimSpace(r.PostFormValue("review_months")),
		FastPath:           parseLevels(r.PostForm["fast_path"]),
		Lock:               kit.FormInt(r, "lock"),
	}
	for _, l := range catalog.Levels {
		f.Activation[l-1] = strings.TrimSpace(r.PostFormValue("activation_" + l.String()))
	}
	keep := func(section string, i int) bool { return kit.RowField(r, section, i, "remove") == "" }
	for i := range kit.RowCount(r, "steps") {
		s := stepRow{Key: kit.RowField(r, "steps", i, "key"), Phase: plan.Phase(kit.RowField(r, "steps", i, "phase")),
			Levels: parseLevels(kit.RowValues(r, "steps", i, "levels")), Owner: kit.RowField(r, "steps", i, "owner"),
			Deadline: kit.RowField(r, "steps", i, "deadline"), Title: kit.RowField(r, "steps", i, "title"),
			Checklist: strings.Join(kit.SplitLines(r.PostForm.Get(kit.RowName("steps", i, "checklist"))), "\n")}
		if keep("steps", i) && (s.Title != "" || s.Deadline != "" || s.Owner != "" || s.Checklist != "") {
			f.Steps = append(f.Steps, s)
		}
	}
	for i := range kit.RowCount(r, "templates") {
		t := templateRow{Level: kit.RowField(r, "templates", i, "level"), Audience: plan.Audience(kit.RowField(r, "templates", i, "audience")),
			Language: kit.RowField(r, "templates", i, "language"), Headline: kit.RowField(r, "templates", i, "headline"),
			Body:        strings.TrimSpace(r.PostForm.Get(kit.RowName("templates", i, "body"))),
			Instruction: strings.TrimSpace(r.PostForm.Get(kit.RowName("templates", i, "instruction"))),
			Contact:     kit.RowField(r, "templates", i, "contact"),
			CAP: plan.TemplateCAP{Event: kit.RowField(r, "templates", i, "cap_event"), Category: kit.RowField(r, "templates", i, "cap_category"),
				Urgency: kit.RowField(r, "templates", i, "cap_urgency"), Severity: kit.RowField(r, "templates", i, "cap_severity"),
				Certainty: kit.RowField(r, "templates", i, "cap_certainty"), Area: kit.RowField(r, "templates", i, "cap_area")}}
		if keep("templates", i) && (t.Headline != "" || t.Body != "") {
			f.Templates = append(f.Templates, t)
		}
	}
	for i := range kit.RowCount(r, "matrix") {
		m := commRow{Key: kit.RowField(r, "matrix", i, "key"), Level: kit.RowField(r, "matrix", i, "level"),
			Audience: kit.RowField(r, "matrix", i, "audience"), Content: kit.RowField(r, "matrix", i, "content"),
			Channels: kit.RowField(r, "matrix", i, "channels"), Cadence: kit.RowField(r, "matrix", i, "cadence"),
			Phase: plan.Phase(kit.RowField(r, "matrix", i, "phase"))}
		if keep("matrix", i) && (m.Content != "" || m.Channels != "" || m.Cadence != "") {
			f.Matrix = append(f.Matrix, m)
		}
	}
	for i := range kit.RowCount(r, "contacts") {
		c := plan.Contact{Name: kit.RowField(r, "contacts", i, "name"), Role: kit.RowField(r, "contacts", i, "role"),
			Phone: kit.RowField(r, "contacts", i, "phone"), Email: kit.RowField(r, "contacts", i, "email")}
		if keep("contacts", i) && c != (plan.Contact{}) {
			f.Contacts = append(f.Contacts, c)
		}
	}
	for i := range kit.RowCount(r, "resources") {
		res := plan.Resource{Name: kit.RowField(r, "resources", i, "name"), Quantity: kit.RowField(r, "resources", i, "quantity"),
			Location: kit.RowField(r, "resources", i, "location")}
		res.ItemID, _ = strconv.ParseInt(kit.RowField(r, "resources", i, "item"), 10, 64)
		if keep("resources", i) && res != (plan.Resource{}) {
			f.Resources = append(f.Resources, res)
		}
	}
	return f
}

func parseLevels(values []string) []catalog.Level {
	var out []catalog.Level
	for _, v := range values {
		if l, err := catalog.ParseLevel(v); err == nil && !hasLevel(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// grow adds the blank row the form asked for with add=section; lang is
// the reader's language, the likeliest for a new template.
func (f *planForm) grow(section, lang string) {
	switch section {
	case "steps":
		f.Steps = append(f.Steps, stepRow{Phase: plan.Response})
	case "templates":
		f.Templates = append(f.Templates, templateRow{Level: "I", Audience: plan.Public, Language: lang})
	case "matrix":
		f.Matrix = append(f.Matrix, commRow{Level: "I", Audience: "public", Phase: plan.Response})
	case "contacts":
		f.Contacts = append(f.Contacts, plan.Contact{})
	case "resources":
		f.Resources = append(f.Resources, plan.Resource{})
	}
}

// body turns the form into a plan body. Text that does not parse (a
// deadline of "soon") is reported against its field; the domain's
// Validate then checks the rest.
func (f planForm) body() (plan.Body, fault.Fields) {
	var bad fault.Fields
	duration := func(field, s string) plan.Duration {
		if s == "" {
			return 0
		}
		d, err := plan.ParseDuration(s)
		if err != nil {
			bad.Add(field, "%v", err)
		}
		return d
	}
	level := func(s string) catalog.Level {
		l, _ := catalog.ParseLevel(s)
		return l // 0 when bad; Validate names the field
	}
	b := plan.Body{
		Scope:              f.Scope,
		Activation:         map[catalog.Level]string{},
		ActivationDeadline: duration("activation_deadline", f.ActivationDeadline),
		FirstNoticeDue:     duration("first_notice_due", f.FirstNoticeDue),
		FastPathLevels:     f.FastPath,
		Contacts:           f.Contacts,
		Resources:          f.Resources,
	}
	for _, l := range catalog.Levels {
		if s := f.Activation[l-1]; s != "" {
			b.Activation[l] = s
		}
	}
	if f.ReviewMonths != "" {
		n, err := strconv.Atoi(f.ReviewMonths)
		if err != nil || n < 1 {
			bad.Add("review_months", "must be a number of months")
		}
		b.ReviewMonths = n
	}
	used := map[string]bool{}
	for _, s := range f.Steps {
		used[s.Key] = true
	}
	for i, s := range f.Steps {
		step := plan.Step{Key: s.Key, Phase: s.Phase, Title: s.Title, Levels: s.Levels,
			Deadline: duration(kit.RowName("steps", i, "deadline"), s.Deadline), Checklist: kit.SplitLines(s.Checklist)}
		if step.Key == "" {
			step.Key = freeKey(used, prefixOf(s.Phase))
		}
		if role, ok := strings.CutPrefix(s.Owner, "role:"); ok {
			step.OwnerRole = authz.Role(role)
		} else if dept, ok := strings.CutPrefix(s.Owner, "dept:"); ok {
			step.OwnerDept = dept
		}
		b.Steps = append(b.Steps, step)
	}
	for _, t := range f.Templates {
		b.Templates = append(b.Templates, plan.Template{Level: level(t.Level), Audience: t.Audience, Language: t.Language,
			Headline: t.Headline, Body: t.Body, Instruction: t.Instruction, Contact: t.Contact, CAP: t.CAP})
	}
	used = map[string]bool{}
	for _, m := range f.Matrix {
		used[m.Key] = true
	}
	for i, m := range f.Matrix {
		row := plan.CommRow{Key: m.Key, Level: level(m.Level), Audience: m.Audience, Content: m.Content,
			Channels: kit.SplitList(m.Channels), Cadence: duration(kit.RowName("matrix", i, "cadence"), m.Cadence), Phase: m.Phase}
		if row.Key == "" {
			row.Key = freeKey(used, "c")
		}
		b.Matrix = append(b.Matrix, row)
	}
	return b, bad
}

func prefixOf(p plan.Phase) string {
	if p.Valid() {
		return string(p[:1])
	}
	return "s"
}

// freeKey returns prefix plus the lowest number not yet used, and marks it
// used: a new row never takes the key of a row that exists.
func freeKey(used map[string]bool, prefix string) string {
	for n := 1; ; n++ {
		k := prefix + strconv.Itoa(n)
		if !used[k] {
			used[k] = true
			return k
		}
	}
}
