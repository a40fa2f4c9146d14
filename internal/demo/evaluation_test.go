package demo_test

import (
	"context"
	"io"
	"testing"

	"crisisdesk/internal/demo"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// The evaluation reads the figures the other areas measure: satisfaction
// from the demo's survey answers, the time to clarify its rumour, the
// ferry-time error confirmed by its correction, and the risk register in
// the coverage loop — on both engines.
func TestEvaluationReadsTheOtherAreas(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		now := st.Clock().Now()
		if _, err := demo.Load(ctx, st, now, io.Discard); err != nil {
			t.Fatal(err)
		}
		d, err := st.Evaluation().Data(ctx, now.AddDate(-1, 0, 0), now.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range kpi.Plugged {
			v := d.Plugged[kpi.Key(id)][kpi.Real]
			if v.NoData || v.N == 0 {
				t.Errorf("%s: %+v, want figures from the demo", id, v)
			}
		}
		if v := d.Plugged[kpi.Key(kpi.PluggedSatisfaction)][kpi.Real]; v.Value < 1 || v.Value > 5 {
			t.Errorf("satisfaction %v is not on the 1–5 scale", v.Value)
		}
		cov, err := st.Evaluation().Coverage(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		risks := 0
		for _, c := range cov {
			risks += len(c.Risks)
		}
		if risks == 0 {
			t.Errorf("the coverage loop shows no risk of the register: %+v", cov)
		}
	})
}
