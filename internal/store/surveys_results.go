package store

import (
	"context"
	"fmt"
	"strconv"

	"crisisdesk/internal/survey"
)

func (ss *surveys) Results(ctx context.Context, id int64, withText bool) (survey.Results, error) {
	s, err := ss.Get(ctx, id)
	if err != nil {
		return survey.Results{}, err
	}
	out := survey.Results{Survey: s}
	counts := map[string]map[string]int{}
	answered := map[string]int{}
	rows, err := ss.s.reader.QueryContext(ctx, `SELECT question, value, COUNT(*), COUNT(DISTINCT response_id) FROM survey_answers
		WHERE survey_id = $1 AND value <> '' GROUP BY question, value`, id)
	if err != nil {
		return out, fmt.Errorf("count answers: %w", err)
	}
	for rows.Next() {
		var q, v string
		var n, people int
		if err := rows.Scan(&q, &v, &n, &people); err != nil {
			rows.Close()
			return out, fmt.Errorf("count answers: %w", err)
		}
		if counts[q] == nil {
			counts[q] = map[string]int{}
		}
		counts[q][v] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("count answers: %w", err)
	}
	rows, err = ss.s.reader.QueryContext(ctx, `SELECT question, COUNT(DISTINCT response_id) FROM survey_answers
		WHERE survey_id = $1 GROUP BY question`, id)
	if err != nil {
		return out, fmt.Errorf("count answered: %w", err)
	}
	for rows.Next() {
		var q string
		var n int
		if err := rows.Scan(&q, &n); err != nil {
			rows.Close()
			return out, fmt.Errorf("count answered: %w", err)
		}
		answered[q] = n
	}
	rows.Close()
	for _, q := range s.Questions {
		qr := survey.QuestionResult{Question: q, Answered: answered[q.Key]}
		switch q.Kind {
		case survey.Scale:
			sum := 0
			for v := 1; v <= 5; v++ {
				n := counts[q.Key][strconv.Itoa(v)]
				qr.Counts = append(qr.Counts, survey.Count{Value: strconv.Itoa(v), N: n})
				sum += v * n
			}
			if qr.Answered > 0 {
				qr.Mean = float64(sum) / float64(qr.Answered)
			}
		case survey.Single, survey.Multiple:
			for _, o := range q.Options {
				qr.Counts = append(qr.Counts, survey.Count{Value: o.Key, N: counts[q.Key][o.Key]})
			}
		case survey.Text:
			if withText {
				// Oldest first would order them as they came; sorted by
				// text, they say nothing of when or from whom.
				if qr.Texts, err = queryAll(ctx, ss.s.reader, "survey texts", func(r rowScanner) (string, error) {
					var t string
					return t, r.Scan(&t)
				}, `SELECT text FROM survey_answers WHERE survey_id = $1 AND question = $2 AND text <> '' ORDER BY text`,
					id, q.Key); err != nil {
					return out, err
				}
			}
		}
		out.Questions = append(out.Questions, qr)
	}
	return out, nil
}

func (ss *surveys) Trend(ctx context.Context, limit int) ([]survey.TrendPoint, error) {
	_, limit = clampPage(0, limit)
	list, err := queryAll(ctx, ss.s.reader, "surveys", scanSurvey, `SELECT `+surveyColumns+` FROM surveys
		WHERE crisis_id IS NOT NULL AND sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	out := make([]survey.TrendPoint, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		s := list[i]
		p := survey.TrendPoint{SurveyID: s.ID, CrisisID: s.CrisisID, Title: s.Title, SentAt: s.SentAt.Unix(),
			Responses: s.Responses, Means: map[string]float64{}}
		rows, err := ss.s.reader.QueryContext(ctx, `SELECT question, value, COUNT(*) FROM survey_answers
			WHERE survey_id = $1 AND value IN ('1', '2', '3', '4', '5') GROUP BY question, value`, s.ID)
		if err != nil {
			return nil, fmt.Errorf("trend of survey %d: %w", s.ID, err)
		}
		sum, n := map[string]int{}, map[string]int{}
		for rows.Next() {
			var q, v string
			var c int
			if err := rows.Scan(&q, &v, &c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("trend of survey %d: %w", s.ID, err)
			}
			x, _ := strconv.Atoi(v)
			sum[q] += x * c
			n[q] += c
		}
		rows.Close()
		for _, m := range survey.Measures {
			if n[m] > 0 {
				p.Means[m] = float64(sum[m]) / float64(n[m])
			}
		}
		out = append(out, p)
	}
	return out, nil
}
