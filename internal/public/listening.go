package public

// The listening pages: /clarifications, the rumours the office answered
// with their notices (cached like the other pages, in the reader's
// language), and the satisfaction survey an invitation opens, with its
// opt-out (rendered per request and never cached: the link holds a
// token). None needs JavaScript.

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/survey"
)

// ClarificationsPath lists the published clarifications.
const ClarificationsPath = "/clarifications"

// The survey pages an invitation links to.
const (
	SurveyPath = "/surveys/answer"
	OptOutPath = "/surveys/optout"
)

var listeningPages = []string{"clarifications", "survey"}

// parseListening parses the listening templates into the site's pages.
func (s *Site) parseListening() error {
	for _, name := range listeningPages {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("public: parse %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// listeningRoutes are the cached listening pages, for the route table.
func (s *Site) listeningRoutes() []route {
	if s.rumours == nil {
		return nil
	}
	return []route{{pattern: ClarificationsPath, render: s.clarifications, byLang: true}}
}

// surveyRoutes are the survey pages; none when the site has no surveys.
func (s *Site) surveyRoutes() []subRoute {
	if s.surveys == nil {
		return nil
	}
	return []subRoute{
		{http.MethodGet, SurveyPath, s.surveyForm},
		{http.MethodPost, SurveyPath, s.answerSurvey},
		{http.MethodGet, OptOutPath, s.optOutForm},
		{http.MethodPost, OptOutPath, s.optOut},
	}
}

// clarificationView is one clarification: the claim, the verdict and the
// notice that answered it, in the reader's language.
type clarificationView struct {
	Claim        string
	Verdict      string
	VerdictLabel string
	ClarifiedAt  time.Time
	Notice       noticeView
}

type clarificationsView struct{ Items []clarificationView }

func (s *Site) clarifications(r *http.Request, lang string) (rendered, error) {
	ctx, tr := r.Context(), s.catalog.For(lang)
	list, err := s.rumours.Clarifications(ctx, 200)
	if err != nil {
		return rendered{}, err
	}
	var v clarificationsView
	for _, c := range list {
		n, err := s.notices.Get(ctx, c.NoticeID)
		if err != nil {
			return rendered{}, err
		}
		if !isPublic(n) {
			continue
		}
		shown := s.inScript([]notice.Notice{n}, lang)[0]
		v.Items = append(v.Items, clarificationView{Claim: c.Claim, Verdict: string(c.Verdict),
			VerdictLabel: tr.T("rumour.verdict." + string(c.Verdict)), ClarifiedAt: c.ClarifiedAt, Notice: viewNotice(shown, tr)})
	}
	return s.htmlPage(r, lang, "clarifications", tr.T("rumour.public.title"), v)
}

// surveyView is the survey form of one invitation.
type surveyView struct {
	Title     string
	Action    string
	Token     string
	Questions []questionView
	Errors    map[string]string
	ErrorList []fieldError
	OptOut    string
}

// questionView is a question in the reader's language, with what they
// answered when the form comes back.
type questionView struct {
	Key      string
	Kind     string
	Text     string
	Required bool
	Options  []choiceView
	Scale    []choiceView
	Answer   string
	Error    string
}

type choiceView struct {
	Value, Label string
	Checked      bool
}

func (s *Site) surveyLangs(lang string) []string { return []string{lang, i18n.Default, i18n.English} }

// surveyFormView builds the form of sv for a reader of lang; posted is
// what they sent, when the form comes back.
func (s *Site) surveyFormView(sv survey.Survey, lang, token string, posted map[string][]string, errs map[string]string) surveyView {
	tr := s.catalog.For(lang)
	fb := s.surveyLangs(lang)[1:]
	v := surveyView{Title: sv.Title.In(lang, fb...), Action: withLangQuery(SurveyPath, lang), Token: token, Errors: errs,
		OptOut: OptOutPath + "?token=" + token}
	for _, q := range sv.Questions {
		qv := questionView{Key: q.Key, Kind: string(q.Kind), Text: q.Text.In(lang, fb...), Required: q.Required, Error: errs[q.Key]}
		got := posted[q.Key]
		has := func(v string) bool {
			for _, g := range got {
				if g == v {
					return true
				}
			}
			return false
		}
		switch q.Kind {
		case survey.Scale:
			for i := 1; i <= 5; i++ {
				val := strconv.Itoa(i)
				qv.Scale = append(qv.Scale, choiceView{Value: val, Label: tr.T("survey.public.scale_" + val), Checked: has(val)})
			}
		case survey.Single, survey.Multiple:
			for _, o := range q.Options {
				qv.Options = append(qv.Options, choiceView{Value: o.Key, Label: o.Text.In(lang, fb...), Checked: has(o.Key)})
			}
		case survey.Text:
			if len(got) > 0 {
				qv.Answer = got[0]
			}
		}
		if qv.Error != "" {
			v.ErrorList = append(v.ErrorList, fieldError{ID: "q-" + q.Key, Label: qv.Text, Message: qv.Error})
		}
		v.Questions = append(v.Questions, qv)
	}
	return v
}

// surveyRefusal answers a token that opens nothing: unknown, answered,
// or a survey no longer taking answers.
func (s *Site) surveyRefusal(w http.ResponseWriter, r *http.Request, lang string, err error) {
	switch {
	case fault.Is(err, fault.NotFound):
		s.subMessage(w, r, lang, http.StatusNotFound, "survey.public.unknown_title", "survey.public.unknown", "")
	case fault.Is(err, fault.Conflict):
		s.subMessage(w, r, lang, http.StatusConflict, "survey.public.answered_title", "survey.public.answered", "")
	default:
		s.fail(w, r, lang, err)
	}
}

func (s *Site) surveyForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	token := r.URL.Query().Get("token")
	sv, err := s.surveys.Invitation(r.Context(), token)
	if err != nil {
		s.surveyRefusal(w, r, lang, err)
		return
	}
	s.subRender(w, r, lang, http.StatusOK, "survey", "survey.public.title", s.surveyFormView(sv, lang, token, nil, nil))
}

func (s *Site) answerSurvey(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	if !s.subSameOrigin(w, r, lang) || !s.subAllowed(w, r, lang, "survey") {
		return
	}
	form := readSubForm(w, r)
	token := form.Get("token")
	sv, err := s.surveys.Invitation(r.Context(), token)
	if err != nil {
		s.surveyRefusal(w, r, lang, err)
		return
	}
	tr := s.catalog.For(lang)
	errs := map[string]string{}
	var answers []survey.Answer
	for _, q := range sv.Questions {
		a := survey.Answer{Question: q.Key}
		switch q.Kind {
		case survey.Scale:
			if v := form.Get(q.Key); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					errs[q.Key] = tr.T("survey.public.err_scale")
				}
				a.Scale = n
			}
		case survey.Single, survey.Multiple:
			a.Choices = form[q.Key]
		case survey.Text:
			a.Text = strings.TrimSpace(form.Get(q.Key))
		}
		answers = append(answers, a)
	}
	if len(errs) == 0 {
		err = s.surveys.Answer(r.Context(), token, answers)
		if err == nil {
			s.subMessage(w, r, lang, http.StatusOK, "survey.public.thanks_title", "survey.public.thanks", "")
			return
		}
		if !fault.Is(err, fault.Invalid) {
			s.surveyRefusal(w, r, lang, err)
			return
		}
		for _, f := range fault.FieldsOf(err) {
			q, ok := sv.Question(f.Field)
			if !ok {
				continue
			}
			switch q.Kind {
			case survey.Text:
				errs[f.Field] = tr.T("survey.public.err_text", "Max", survey.MaxAnswer)
			default:
				errs[f.Field] = tr.T("survey.public.err_choose")
			}
		}
		if len(errs) == 0 {
			errs["_"] = tr.T("survey.public.err_choose")
		}
	}
	s.subRender(w, r, lang, http.StatusUnprocessableEntity, "survey", "survey.public.title_error",
		s.surveyFormView(sv, lang, token, form, errs))
}

func (s *Site) optOutForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	token := r.URL.Query().Get("token")
	if _, _, err := s.surveyInvitationExists(r, token); err != nil {
		s.surveyRefusal(w, r, lang, err)
		return
	}
	s.subRender(w, r, lang, http.StatusOK, "survey", "survey.public.optout_title",
		surveyView{Title: s.catalog.For(lang).T("survey.public.optout_title"), Action: withLangQuery(OptOutPath, lang), Token: token})
}

// surveyInvitationExists tells a token that opens nothing from one whose
// survey is answered or closed: both may still opt out.
func (s *Site) surveyInvitationExists(r *http.Request, token string) (survey.Survey, bool, error) {
	sv, err := s.surveys.Invitation(r.Context(), token)
	if fault.Is(err, fault.Conflict) {
		return sv, false, nil
	}
	return sv, err == nil, err
}

func (s *Site) optOut(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	if !s.subSameOrigin(w, r, lang) || !s.subAllowed(w, r, lang, "survey") {
		return
	}
	form := readSubForm(w, r)
	if err := s.surveys.OptOut(r.Context(), form.Get("token")); err != nil {
		s.surveyRefusal(w, r, lang, err)
		return
	}
	s.subMessage(w, r, lang, http.StatusOK, "survey.public.optout_done_title", "survey.public.optout_done", "")
}

// listeningAuthz lists the GET listening routes for the permission walk.
func (s *Site) listeningAuthz() []authz.Route {
	var out []authz.Route
	for _, r := range s.surveyRoutes() {
		if r.method == http.MethodGet {
			out = append(out, authz.Route{Method: r.method, Pattern: r.pattern, Public: true})
		}
	}
	return out
}
