package surveys

import (
	"bytes"
	"net/http"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/web/kit"
)

// countView is one value of a question with its share of the answers.
type countView struct {
	Label   string
	N       int
	Percent int
}

// resultView is one question's results in the reader's language.
type resultView struct {
	Key      string
	Kind     survey.Kind
	Text     string
	Answered int
	Mean     string
	Counts   []countView
	Texts    []string
	Chart    kit.Chart // the distribution, with its table
}

// surveyView is the survey page.
type surveyView struct {
	Survey  survey.Survey
	Name    string
	Late    bool
	Results []resultView
	CanEdit bool
	CanText bool
	Error   string
	Crisis  string
	Clock   *kit.DeadlineView // out within a month of the crisis closing
}

func (h *Room) surveyPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	h.renderSurvey(w, r, http.StatusOK, id, "")
}

// results reads survey id's results for the reader: free text only for
// the roles that read it.
func (h *Room) results(r *http.Request, id int64) (survey.Results, []resultView, error) {
	tr := h.Kit.T(r)
	lang := tr.Lang()
	res, err := h.Surveys.Results(r.Context(), id, authz.Can(kit.Role(r), authz.ReadSurveyText))
	if err != nil {
		return res, nil, err
	}
	var out []resultView
	for _, q := range res.Questions {
		v := resultView{Key: q.Question.Key, Kind: q.Question.Kind, Text: titleIn(q.Question.Text, lang), Answered: q.Answered,
			Texts: q.Texts}
		if q.Question.Kind == survey.Scale && q.Answered > 0 {
			v.Mean = strconv.FormatFloat(q.Mean, 'f', 2, 64)
		}
		labels := map[string]string{}
		for _, o := range q.Question.Options {
			labels[o.Key] = titleIn(o.Text, lang)
		}
		for _, c := range q.Counts {
			label := labels[c.Value]
			if q.Question.Kind == survey.Scale {
				label = tr.T("survey.public.scale_" + c.Value)
			}
			pc := 0
			if q.Answered > 0 {
				pc = (c.N*100 + q.Answered/2) / q.Answered
			}
			v.Counts = append(v.Counts, countView{Label: label, N: c.N, Percent: pc})
		}
		if len(v.Counts) > 0 {
			v.Chart = kit.Chart{ID: "q-" + v.Key, Title: v.Text, Kind: "bar", Unit: "", Empty: tr.T("survey.no_answers"),
				Series: []kit.Series{{Name: tr.T("survey.col.count")}}}
			for _, c := range v.Counts {
				v.Chart.Categories = append(v.Chart.Categories, c.Label)
				v.Chart.Series[0].Values = append(v.Chart.Series[0].Values, float64(c.N))
			}
		}
		out = append(out, v)
	}
	return res, out, nil
}

func (h *Room) renderSurvey(w http.ResponseWriter, r *http.Request, status int, id int64, msg string) {
	res, list, err := h.results(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	s := res.Survey
	v := surveyView{Survey: s, Name: titleIn(s.Title, h.Kit.T(r).Lang()), Late: s.Late(h.Kit.Now()), Results: list,
		CanEdit: authz.Can(kit.Role(r), authz.EditSurvey), CanText: authz.Can(kit.Role(r), authz.ReadSurveyText), Error: msg}
	if s.CrisisID != 0 {
		if c, err := h.Crises.Get(r.Context(), s.CrisisID); err == nil {
			v.Crisis = c.Title
		}
	}
	switch d, err := h.Surveys.SendClock(r.Context(), id); {
	case err == nil:
		dv := kit.NewDeadlineView(h.Kit.T(r), d, h.Kit.Now())
		v.Clock = &dv
	case !fault.Is(err, fault.NotFound):
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "survey", v)
}

func (h *Room) send(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "survey_sent", func(id int64) error {
		_, _, err := h.Surveys.Send(r.Context(), kit.Actor(r), id)
		return err
	})
}

func (h *Room) close(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "survey_closed", func(id int64) error {
		_, err := h.Surveys.Close(r.Context(), kit.Actor(r), id)
		return err
	})
}

// act runs a change of state and shows the survey again.
func (h *Room) act(w http.ResponseWriter, r *http.Request, done string, f func(id int64) error) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := f(id)
	switch {
	case err == nil:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done="+done)
	case fault.Is(err, fault.Conflict):
		h.renderSurvey(w, r, http.StatusConflict, id, h.Kit.T(r).T("survey.err.state"))
	default:
		h.Kit.Fail(w, r, err)
	}
}

// export writes the results as a table: one row per value of each
// question, and the free text for those who read it.
func (h *Room) export(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	res, list, err := h.results(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr, format := h.Kit.T(r), kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "Results", func(sw sheet.Writer) error {
		if err := sw.Write(tr.T("survey.col.question"), tr.T("survey.col.answer"), tr.T("survey.col.count"),
			tr.T("survey.col.share"), tr.T("survey.col.mean")); err != nil {
			return err
		}
		for _, q := range list {
			for _, c := range q.Counts {
				if err := sw.Write(q.Text, c.Label, strconv.Itoa(c.N), strconv.Itoa(c.Percent)+"%", q.Mean); err != nil {
					return err
				}
			}
			for _, t := range q.Texts {
				if err := sw.Write(q.Text, t, "", "", ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "survey-"+kit.Itoa(res.Survey.ID), buf.Bytes())
}
