package surveys

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/web/kit"
)

// row is a survey in the list, its title in the reader's language.
type row struct {
	survey.Survey
	Name string
	Late bool
}

// listView is the list of surveys and the trend across crises.
type listView struct {
	Surveys  []row
	Pager    kit.Pager
	Measures []string
	Trend    kit.Chart       // each measure's mean across the crises' surveys
	Closed   []crisis.Crisis // closed crises without a survey, for "new"
	CanEdit  bool
	Error    string
}

func titleIn(t survey.Texts, lang string) string { return t.In(lang, i18n.Default, i18n.English) }

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	h.renderList(w, r, http.StatusOK, "")
}

func (h *Room) renderList(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctx, lang, page := r.Context(), h.Kit.T(r).Lang(), kit.PageParam(r)
	list, total, err := h.Surveys.List(ctx, survey.Filter{Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := listView{Pager: kit.NewPager(r, page, total), Measures: survey.Measures, CanEdit: authz.Can(kit.Role(r), authz.EditSurvey),
		Error: msg}
	now := h.Kit.Now()
	for _, s := range list {
		v.Surveys = append(v.Surveys, row{Survey: s, Name: titleIn(s.Title, lang), Late: s.Late(now)})
	}
	trend, err := h.Surveys.Trend(ctx, 24)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	t := h.Kit.T(r)
	v.Trend = kit.Chart{ID: "survey-trend", Title: t.T("survey.trend_caption"), Kind: "line", Empty: t.T("survey.trend_empty")}
	for _, p := range trend {
		v.Trend.Categories = append(v.Trend.Categories, titleIn(p.Title, lang))
	}
	for _, m := range survey.Measures {
		se := kit.Series{Name: t.T("survey.measure." + m)}
		for _, p := range trend {
			x, ok := p.Means[m]
			se.Values, se.Missing = append(se.Values, x), append(se.Missing, !ok)
		}
		v.Trend.Series = append(v.Trend.Series, se)
	}
	if v.CanEdit {
		closed, _, err := h.Crises.List(ctx, crisis.Filter{Limit: 100})
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		for _, c := range closed {
			if c.Status != crisis.Closed || c.Exercise {
				continue
			}
			if _, err := h.Surveys.ByCrisis(ctx, c.ID); fault.Is(err, fault.NotFound) {
				v.Closed = append(v.Closed, c)
			}
		}
	}
	h.Kit.Render(w, r, status, "surveys", v)
}

// create drafts the default questionnaire for a closed crisis (or for no
// crisis), which the builder then edits.
func (h *Room) create(w http.ResponseWriter, r *http.Request) {
	crisisID := kit.FormInt(r, "crisis_id")
	name := h.Kit.T(r).T("survey.default_name")
	if crisisID != 0 {
		c, err := h.Crises.Get(r.Context(), crisisID)
		if err != nil {
			h.renderList(w, r, http.StatusUnprocessableEntity, h.Kit.T(r).T("survey.err.crisis"))
			return
		}
		name = c.Title
	}
	s, err := h.Surveys.Create(r.Context(), kit.Actor(r), crisisID, survey.Default(name))
	switch {
	case err == nil:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(s.ID)+"/edit?done=survey_created")
	case fault.Is(err, fault.Invalid):
		h.renderList(w, r, http.StatusUnprocessableEntity, h.Kit.T(r).T("survey.err.crisis"))
	default:
		h.Kit.Fail(w, r, err)
	}
}
