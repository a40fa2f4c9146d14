package surveys

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/web/kit"
)

// questionForm is one question of the builder as typed: its texts by
// language, and its options one a line as "key | 繁體 | 简体 | English".
type questionForm struct {
	Index    int
	Key      string
	Kind     string
	Required bool
	Text     map[string]string
	Options  string
}

// editForm is the builder.
type editForm struct {
	ID        int64
	Lock      int64
	Title     map[string]string
	Questions []questionForm
	Errors    kit.FieldErrors
}

// editView is the builder page.
type editView struct {
	Form      editForm
	Languages []string
	Kinds     []survey.Kind
}

// FormErrors implements kit.Form.
func (v editView) FormErrors() kit.FieldErrors { return v.Form.Errors }

var _ kit.Form = editView{}

func formOf(s survey.Survey) editForm {
	f := editForm{ID: s.ID, Lock: s.Lock, Title: s.Title}
	for i, q := range s.Questions {
		qf := questionForm{Index: i, Key: q.Key, Kind: string(q.Kind), Required: q.Required, Text: q.Text}
		var lines []string
		for _, o := range q.Options {
			parts := []string{o.Key}
			for _, l := range i18n.Languages {
				parts = append(parts, o.Text[l])
			}
			lines = append(lines, strings.Join(parts, " | "))
		}
		qf.Options = strings.Join(lines, "\n")
		f.Questions = append(f.Questions, qf)
	}
	// One blank question to add.
	f.Questions = append(f.Questions, questionForm{Index: len(s.Questions), Kind: string(survey.Scale), Text: map[string]string{}})
	return f
}

func formFrom(r *http.Request) editForm {
	_ = r.ParseForm()
	f := editForm{Lock: kit.FormInt(r, "lock"), Title: map[string]string{}}
	for _, l := range i18n.Languages {
		f.Title[l] = r.PostFormValue("title." + l)
	}
	n, _ := strconv.Atoi(r.PostFormValue("count"))
	for i := range min(max(n, 0), survey.MaxQuestions+1) {
		p := "q" + strconv.Itoa(i) + "."
		qf := questionForm{Index: i, Key: strings.TrimSpace(r.PostFormValue(p + "key")), Kind: r.PostFormValue(p + "kind"),
			Required: r.PostFormValue(p+"required") != "", Options: r.PostFormValue(p + "options"), Text: map[string]string{}}
		for _, l := range i18n.Languages {
			qf.Text[l] = r.PostFormValue(p + "text." + l)
		}
		f.Questions = append(f.Questions, qf)
	}
	return f
}

// blank reports whether a question block was left empty (the spare one).
func (q questionForm) blank() bool {
	if q.Key != "" || strings.TrimSpace(q.Options) != "" {
		return false
	}
	for _, t := range q.Text {
		if strings.TrimSpace(t) != "" {
			return false
		}
	}
	return true
}

// survey reads the builder; index maps each question of the result to its
// block on the page.
func (f editForm) survey() (survey.Survey, []int) {
	s := survey.Survey{Title: survey.Texts(f.Title)}
	var index []int
	for _, qf := range f.Questions {
		if qf.blank() {
			continue
		}
		q := survey.Question{Key: qf.Key, Kind: survey.Kind(qf.Kind), Required: qf.Required, Text: survey.Texts(qf.Text)}
		for _, line := range strings.Split(qf.Options, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			parts := strings.Split(line, "|")
			o := survey.Option{Key: strings.TrimSpace(parts[0]), Text: survey.Texts{}}
			for i, l := range i18n.Languages {
				if i+1 < len(parts) {
					o.Text[l] = strings.TrimSpace(parts[i+1])
				}
			}
			q.Options = append(q.Options, o)
		}
		s.Questions = append(s.Questions, q)
		index = append(index, qf.Index)
	}
	return s, index
}

var questionField = regexp.MustCompile(`^questions\[(\d+)\]\.(key|kind|text|options)`)

// fieldErrors turns the domain's refusal into messages beside the
// builder's controls.
func fieldErrors(tr i18n.Translator, err error, index []int) kit.FieldErrors {
	fe := kit.FieldErrors{}
	for _, e := range fault.FieldsOf(err) {
		name, key := "", "survey.err.invalid"
		switch {
		case strings.HasPrefix(e.Field, "title."):
			name, key = e.Field, "survey.err.text"
		case e.Field == "questions":
			key = "survey.err.questions"
		default:
			m := questionField.FindStringSubmatch(e.Field)
			if m == nil {
				break
			}
			i, _ := strconv.Atoi(m[1])
			block := i
			if i < len(index) {
				block = index[i]
			}
			p := "q" + strconv.Itoa(block) + "."
			switch m[2] {
			case "key":
				name, key = p+"key", "survey.err.key"
			case "kind":
				name, key = p+"kind", "survey.err.kind"
			case "text":
				name, key = p+strings.TrimPrefix(e.Field, m[0][:len(m[0])-len("text")]), "survey.err.text"
			case "options":
				name, key = p+"options", "survey.err.options"
			}
		}
		if _, dup := fe[name]; !dup {
			fe[name] = tr.T(key, "Max", survey.MaxLabel, "Options", survey.MaxOptions)
		}
	}
	if len(fe) == 0 {
		fe[""] = tr.T("survey.err.invalid")
	}
	return fe
}

func (h *Room) editPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	s, err := h.Surveys.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "survey_edit", editView{Form: formOf(s), Languages: i18n.Languages, Kinds: survey.Kinds})
}

func (h *Room) save(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := formFrom(r)
	f.ID = id
	s, index := f.survey()
	s.Normalize()
	err := s.Validate(i18n.Languages)
	if err == nil {
		_, err = h.Surveys.Save(r.Context(), kit.Actor(r), id, f.Lock, s)
	}
	tr := h.Kit.T(r)
	switch {
	case err == nil:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=survey_saved")
		return
	case fault.Is(err, fault.Invalid):
		f.Errors = fieldErrors(tr, err, index)
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "survey_edit", editView{Form: f, Languages: i18n.Languages, Kinds: survey.Kinds})
	case fault.Is(err, fault.Conflict):
		f.Errors = kit.FieldErrors{"": tr.T("err.stale")}
		h.Kit.Render(w, r, http.StatusConflict, "survey_edit", editView{Form: f, Languages: i18n.Languages, Kinds: survey.Kinds})
	default:
		h.Kit.Fail(w, r, err)
	}
}
