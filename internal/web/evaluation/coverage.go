package evaluation

import (
	"net/http"

	"crisisdesk/internal/kpi"
)

// CoveragePath is the coverage loop: risks → plans → drills → crises → reviews.
const CoveragePath = "/desk/evaluation/coverage"

// coverageView is the coverage loop, a row per crisis type.
type coverageView struct {
	Rows []coverageRow
	Gaps int
}

type coverageRow struct {
	kpi.Coverage
	Name        string
	Drilled     bool
	FirstNotice string
	Response    string
}

func (h *Room) coveragePage(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	now := h.Kit.Now()
	cs, err := h.Evaluation.Coverage(r.Context(), now)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	types, err := h.Plans.Types(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, t := range types {
		names[t.ID] = t.Name.For(tr.Lang())
	}
	var v coverageView
	for _, c := range cs {
		v.Rows = append(v.Rows, coverageRow{Coverage: c, Name: names[c.TypeID], Drilled: c.DrilledWithinYear(now),
			FirstNotice: value(tr, c.FirstNotice), Response: value(tr, c.Response)})
		v.Gaps += len(c.Gaps)
	}
	h.Kit.Render(w, r, http.StatusOK, "evaluation_coverage", v)
}
