package risk

import (
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func TestBandOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name               string
		likelihood, impact int
		want               Band
	}{
		{"rare and minor", 1, 1, Low},
		{"score 4", 2, 2, Low},
		{"score 5", 1, 5, Medium},
		{"score 9", 3, 3, Medium},
		{"score 10", 2, 5, High},
		{"score 16", 4, 4, High},
		{"score 20", 4, 5, Extreme},
		{"score 25", 5, 5, Extreme},
		{"impact only, high", 0, 4, High},
		{"impact only, medium", 0, 3, Medium},
		{"impact only, very high", 0, 5, Extreme},
		{"impact only, low", 0, 2, Low},
	}
	for _, c := range cases {
		if got := BandOf(c.likelihood, c.impact); got != c.want {
			t.Errorf("%s: BandOf(%d, %d) = %s, want %s", c.name, c.likelihood, c.impact, got, c.want)
		}
	}
}

func TestTrendOf(t *testing.T) {
	t.Parallel()
	r := func(l, i int) Rating { return Rating{Likelihood: l, Impact: i} }
	cases := []struct {
		name    string
		history []Rating
		want    Trend
	}{
		{"one rating", []Rating{r(0, 3)}, TrendNew},
		{"score up", []Rating{r(2, 3), r(3, 3)}, TrendRising},
		{"score down", []Rating{r(4, 5), r(2, 4)}, TrendFalling},
		{"same", []Rating{r(2, 3), r(2, 3)}, TrendSteady},
		{"likelihood first rated higher", []Rating{r(0, 3), r(4, 3)}, TrendRising},
		{"same score, more impact", []Rating{r(4, 2), r(2, 4)}, TrendRising},
	}
	for _, c := range cases {
		if got := TrendOf(c.history); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestRateRefusesOffTheScale(t *testing.T) {
	t.Parallel()
	ed := authz.Actor{UserID: 1, Role: authz.Editor}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	k := Risk{ID: 1, Status: Open, Impact: 3}
	cases := []struct {
		name               string
		likelihood, impact int
		field              string
	}{
		{"impact 0", 2, 0, "impact"},
		{"impact 6", 2, 6, "impact"},
		{"likelihood 6", 6, 3, "likelihood"},
		{"likelihood -1", -1, 3, "likelihood"},
	}
	for _, c := range cases {
		_, _, err := Rate(k, ed, now, c.likelihood, c.impact, "")
		f := fault.FieldsOf(err)
		if len(f) != 1 || f[0].Field != c.field {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, _, err := Rate(k, authz.Actor{Role: authz.Observer}, now, 2, 3, ""); !fault.Is(err, fault.Forbidden) {
		t.Errorf("observer: %v", err)
	}
	out, g, err := Rate(k, ed, now, 0, 5, "worse")
	if err != nil || out.Impact != 5 || g.Note != "worse" || !out.RatedAt.Equal(now) {
		t.Errorf("rated %+v %+v %v", out, g, err)
	}
}
