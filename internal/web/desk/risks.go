package desk

import (
	"net/http"
	"time"

	"crisisdesk/internal/web/riskview"
)

// riskWindow is how far back the dashboard shows risks raised or re-rated.
const riskWindow = 7 * 24 * time.Hour

// recentRisks are the risks raised or re-rated in the last week, newest
// first, in the reader's words: the dashboard's live card.
func (h *Room) recentRisks(r *http.Request) ([]riskview.Row, error) {
	now := h.Kit.Now()
	list, err := h.Risks.Changed(r.Context(), now.Add(-riskWindow), 10)
	if err != nil {
		return nil, err
	}
	out := make([]riskview.Row, 0, len(list))
	for _, k := range list {
		out = append(out, riskview.RowOf(h.Kit.T(r), k, nil, now))
	}
	return out, nil
}
