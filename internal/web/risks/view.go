package risks

import (
	"context"
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/riskview"
)

// peopleLimit bounds the people read for names and owner lists.
const peopleLimit = 500

// people returns the office's users and their names by id.
func (h *Room) people(ctx context.Context) ([]account.User, map[int64]string, error) {
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	return users, names, err
}

// Cell is one square of the heat map.
type Cell struct {
	Likelihood int // 0: the row of risks rated on impact alone
	Impact     int
	Band       risk.Band
	Risks      []riskview.Row
}

// HeatMap is the 5×5 grid, likelihood 5 at the top, with a last row for
// the risks whose likelihood is not rated.
type HeatMap struct {
	Rows [][]Cell
}

// NewHeatMap places rows on the grid.
func NewHeatMap(rows []riskview.Row) HeatMap {
	var m HeatMap
	for l := risk.MaxRating; l >= 0; l-- {
		line := make([]Cell, 0, risk.MaxRating)
		for i := risk.MinRating; i <= risk.MaxRating; i++ {
			c := Cell{Likelihood: l, Impact: i, Band: risk.BandOf(l, i)}
			for _, r := range rows {
				if r.Likelihood == l && r.Impact == i && r.Status == risk.Open {
					c.Risks = append(c.Risks, r)
				}
			}
			line = append(line, c)
		}
		m.Rows = append(m.Rows, line)
	}
	return m
}

// Scale is the 5-point scale for the forms and the heat map's headings.
var Scale = []int{1, 2, 3, 4, 5}

// load reads the risk of the path, or answers the error page.
func (h *Room) load(w http.ResponseWriter, r *http.Request) (risk.Risk, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return risk.Risk{}, false
	}
	k, err := h.Risks.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return k, false
	}
	return k, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
