// Package surveys is the API's room for the satisfaction surveys: the
// questionnaire, sending and closing, the results (free text only for
// the roles that read it) and the trend of the plan's measures.
package surveys

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/survey"
)

// Room holds what the survey operations need; every field is required.
type Room struct {
	Surveys survey.Service
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"surveys"}
	kit.Register(k, kit.Can(authz.ViewSurveys), op{OperationID: "list-surveys", Method: get, Path: "/surveys", Tags: tags,
		Summary: "List surveys, newest first"}, r.list)
	kit.Register(k, kit.Can(authz.EditSurvey), op{OperationID: "create-survey", Method: post, Path: "/surveys", Tags: tags,
		Summary:       "Draft a survey, of a crisis or of none (the default questionnaire when no questions are given)",
		DefaultStatus: http.StatusCreated}, r.create)
	kit.Register(k, kit.Can(authz.ViewSurveys), op{OperationID: "get-survey", Method: get, Path: "/surveys/{id}", Tags: tags,
		Summary: "Get a survey with its questions", Errors: []int{nf}}, r.get)
	kit.Register(k, kit.Can(authz.EditSurvey), op{OperationID: "save-survey", Method: put, Path: "/surveys/{id}", Tags: tags,
		Summary: "Change a draft's title and questions", Errors: []int{nf, cf}}, r.save)
	kit.Register(k, kit.Can(authz.EditSurvey), op{OperationID: "send-survey", Method: post, Path: "/surveys/{id}/send", Tags: tags,
		Summary: "Invite the crisis's subscribers, once per person, leaving out those who opted out", Errors: []int{nf, cf}}, r.send)
	kit.Register(k, kit.Can(authz.EditSurvey), op{OperationID: "close-survey", Method: post, Path: "/surveys/{id}/close", Tags: tags,
		Summary: "Stop taking answers", Errors: []int{nf, cf}}, r.close)
	kit.Register(k, kit.Can(authz.ViewSurveys), op{OperationID: "get-survey-results", Method: get, Path: "/surveys/{id}/results",
		Tags: tags, Summary: "The distribution of the answers to each question; free text only for the roles that read it",
		Errors: []int{nf}}, r.results)
	kit.Register(k, kit.Can(authz.ViewSurveys), op{OperationID: "get-survey-trend", Method: get, Path: "/survey-trend", Tags: tags,
		Summary: "The mean of each measure (timeliness, clarity, usefulness, trust) in each crisis's survey, oldest first"}, r.trend)
}

type kind string

// Schema lists the question types.
func (kind) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("scale is 1 (worst) to 5 (best)", survey.Kinds...)
}

// SurveyOption is a choice, its text by language.
type SurveyOption struct {
	Key  string            `json:"key" maxLength:"40"`
	Text map[string]string `json:"text" doc:"By language: zh-Hant, zh-Hans, en"`
}

// SurveyQuestion is one question, its text by language.
type SurveyQuestion struct {
	Key      string            `json:"key" maxLength:"40"`
	Kind     kind              `json:"kind"`
	Text     map[string]string `json:"text" doc:"By language: zh-Hant, zh-Hans, en"`
	Options  []SurveyOption    `json:"options,omitempty"`
	Required bool              `json:"required,omitempty"`
}

// SurveyInput is a survey's title and questions.
type SurveyInput struct {
	Title     map[string]string `json:"title" doc:"By language: zh-Hant, zh-Hans, en"`
	Questions []SurveyQuestion  `json:"questions,omitempty"`
}

func (in SurveyInput) domain() survey.Survey {
	s := survey.Survey{Title: in.Title}
	for _, q := range in.Questions {
		dq := survey.Question{Key: q.Key, Kind: survey.Kind(q.Kind), Text: q.Text, Required: q.Required}
		for _, o := range q.Options {
			dq.Options = append(dq.Options, survey.Option{Key: o.Key, Text: o.Text})
		}
		s.Questions = append(s.Questions, dq)
	}
	return s
}

// Survey is a survey as the API shows it.
type Survey struct {
	SurveyInput
	ID        int64      `json:"id"`
	CrisisID  int64      `json:"crisis_id,omitempty"`
	State     string     `json:"state" enum:"draft,sent,closed"`
	SendBy    *time.Time `json:"send_by,omitempty" doc:"Out within a month of the crisis closing"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Invited   int        `json:"invited"`
	Responses int        `json:"responses"`
	Lock      int64      `json:"lock"`
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toSurvey(s survey.Survey) Survey {
	out := Survey{SurveyInput: SurveyInput{Title: s.Title}, ID: s.ID, CrisisID: s.CrisisID, State: string(s.State),
		SendBy: ptr(s.SendBy), SentAt: ptr(s.SentAt), Invited: s.Invited, Responses: s.Responses, Lock: s.Lock}
	for _, q := range s.Questions {
		aq := SurveyQuestion{Key: q.Key, Kind: kind(q.Kind), Text: q.Text, Required: q.Required}
		for _, o := range q.Options {
			aq.Options = append(aq.Options, SurveyOption{Key: o.Key, Text: o.Text})
		}
		out.Questions = append(out.Questions, aq)
	}
	return out
}

type surveyOutput struct{ Body Survey }

type idInput struct {
	ID int64 `path:"id"`
}

type listInput struct {
	kit.Page
	CrisisID int64 `query:"crisis_id"`
}

func (r *Room) list(ctx context.Context, in *listInput) (*kit.ListOutput[Survey], error) {
	list, total, err := r.Surveys.List(ctx, survey.Filter{CrisisID: in.CrisisID, Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	filters := map[string][]string{}
	if in.CrisisID != 0 {
		filters["crisis_id"] = []string{strconv.FormatInt(in.CrisisID, 10)}
	}
	return kit.NewList("/surveys", filters, in.Page, list, total, toSurvey), nil
}

// SurveyCreate is a new survey: of a crisis or of none.
type SurveyCreate struct {
	CrisisID int64 `json:"crisis_id,omitempty"`
	SurveyInput
}

type createInput struct{ Body SurveyCreate }

type createOutput struct {
	Location string `header:"Location"`
	Body     Survey
}

func (r *Room) create(ctx context.Context, in *createInput) (*createOutput, error) {
	s := in.Body.domain()
	if len(s.Questions) == 0 {
		d := survey.Default("")
		d.Title = s.Title
		s = d
	}
	out, err := r.Surveys.Create(ctx, kit.Actor(ctx), in.Body.CrisisID, s)
	if err != nil {
		return nil, kit.BodyFields(err, nil)
	}
	return &createOutput{Location: kit.Prefix + "/surveys/" + strconv.FormatInt(out.ID, 10), Body: toSurvey(out)}, nil
}

func shown(s survey.Survey, err error) (*surveyOutput, error) {
	if err != nil {
		return nil, err
	}
	return &surveyOutput{Body: toSurvey(s)}, nil
}

func (r *Room) get(ctx context.Context, in *idInput) (*surveyOutput, error) {
	return shown(r.Surveys.Get(ctx, in.ID))
}

// SurveySave is a change with the lock it is based on.
type SurveySave struct {
	SurveyInput
	Lock int64 `json:"lock" doc:"The lock of the survey the change is based on"`
}

type saveInput struct {
	ID   int64 `path:"id"`
	Body SurveySave
}

func (r *Room) save(ctx context.Context, in *saveInput) (*surveyOutput, error) {
	out, err := r.Surveys.Save(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, in.Body.domain())
	return shown(out, kit.BodyFields(err, nil))
}

func (r *Room) send(ctx context.Context, in *idInput) (*surveyOutput, error) {
	s, _, err := r.Surveys.Send(ctx, kit.Actor(ctx), in.ID)
	return shown(s, err)
}

func (r *Room) close(ctx context.Context, in *idInput) (*surveyOutput, error) {
	return shown(r.Surveys.Close(ctx, kit.Actor(ctx), in.ID))
}

// SurveyCount is how many answers chose one value.
type SurveyCount struct {
	Value string `json:"value" doc:"1–5 for a scale, an option's key for a choice"`
	N     int    `json:"n"`
}

// SurveyQuestionResult is one question's answers.
type SurveyQuestionResult struct {
	Key      string        `json:"key"`
	Answered int           `json:"answered"`
	Counts   []SurveyCount `json:"counts,omitempty"`
	Mean     float64       `json:"mean,omitempty"`
	Texts    []string      `json:"texts,omitempty" doc:"Free text, only for the roles that read it"`
}

// SurveyResults are a survey's figures.
type SurveyResults struct {
	Survey    Survey                 `json:"survey"`
	Questions []SurveyQuestionResult `json:"questions"`
}

type resultsOutput struct{ Body SurveyResults }

func (r *Room) results(ctx context.Context, in *idInput) (*resultsOutput, error) {
	res, err := r.Surveys.Results(ctx, in.ID, authz.Can(kit.Actor(ctx).Role, authz.ReadSurveyText))
	if err != nil {
		return nil, err
	}
	out := SurveyResults{Survey: toSurvey(res.Survey), Questions: []SurveyQuestionResult{}}
	for _, q := range res.Questions {
		qr := SurveyQuestionResult{Key: q.Question.Key, Answered: q.Answered, Mean: q.Mean, Texts: q.Texts}
		for _, c := range q.Counts {
			qr.Counts = append(qr.Counts, SurveyCount{Value: c.Value, N: c.N})
		}
		out.Questions = append(out.Questions, qr)
	}
	return &resultsOutput{Body: out}, nil
}

// SurveyTrendPoint is one crisis's survey in the trend.
type SurveyTrendPoint struct {
	SurveyID  int64              `json:"survey_id"`
	CrisisID  int64              `json:"crisis_id"`
	Responses int                `json:"responses"`
	Means     map[string]float64 `json:"means" doc:"By measure: timeliness, clarity, usefulness, trust"`
}

// SurveyTrend is the trend of the measures across crises.
type SurveyTrend struct {
	Items []SurveyTrendPoint `json:"items"`
}

type trendOutput struct{ Body SurveyTrend }

func (r *Room) trend(ctx context.Context, _ *struct{}) (*trendOutput, error) {
	list, err := r.Surveys.Trend(ctx, 50)
	if err != nil {
		return nil, err
	}
	out := &trendOutput{}
	out.Body.Items = []SurveyTrendPoint{}
	for _, p := range list {
		out.Body.Items = append(out.Body.Items, SurveyTrendPoint{SurveyID: p.SurveyID, CrisisID: p.CrisisID, Responses: p.Responses, Means: p.Means})
	}
	return out, nil
}
