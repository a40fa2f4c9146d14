package desk

import (
	"net/http"
	"time"

	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/riskview"
)

// riskWindow is how far back the dashboard shows risks raised or re-rated.
const riskWindow = 7 * 24 * time.Hour

// riskAlertLimit bounds the reader's unread risk alerts counted.
const riskAlertLimit = 100

// recentRisks is the dashboard's live card: the risks raised or re-rated
// in the last week, newest first, in the reader's words, and the reader's
// unread risk alerts.
func (h *Room) recentRisks(r *http.Request) (riskview.Card, error) {
	now := h.Kit.Now()
	var c riskview.Card
	list, err := h.Risks.Changed(r.Context(), now.Add(-riskWindow), 10)
	if err != nil {
		return c, err
	}
	for _, k := range list {
		c.Recent = append(c.Recent, riskview.RowOf(h.Kit.T(r), k, nil, now))
	}
	alerts, err := h.Risks.Alerts(r.Context(), kit.Actor(r).UserID, true, riskAlertLimit)
	c.Unread = len(alerts)
	return c, err
}
