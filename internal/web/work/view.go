package work

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/workplan"
)

// TaskRow is a task in the reader's words: a task of the template reads
// its texts from the catalogues until someone writes their own.
type TaskRow struct {
	workplan.Task
	Title     string
	Resources string
	Outcome   string
	Owner     string
	Overdue   bool
	Depends   []string // the titles of the tasks it depends on
}

// rowsOf puts tasks in tr's words.
func rowsOf(tr i18n.Translator, tasks []workplan.Task, names map[int64]string, now time.Time) []TaskRow {
	out := make([]TaskRow, 0, len(tasks))
	titles := map[int64]string{}
	for _, t := range tasks {
		r := TaskRow{Task: t, Title: t.Title, Resources: t.Resources, Outcome: t.Outcome, Owner: names[t.OwnerID], Overdue: t.Overdue(now)}
		if t.Key != "" {
			if r.Title == "" {
				r.Title = tr.T("workplan.tpl." + t.Key + ".title")
			}
			if r.Resources == "" {
				r.Resources = tr.T("workplan.tpl." + t.Key + ".resources")
			}
			if r.Outcome == "" {
				r.Outcome = tr.T("workplan.tpl." + t.Key + ".outcome")
			}
		}
		titles[t.ID] = r.Title
		out = append(out, r)
	}
	for i := range out {
		for _, d := range out[i].DependsOn {
			out[i].Depends = append(out[i].Depends, titles[d])
		}
	}
	return out
}

// peopleLimit bounds the people read for names and owner lists.
const peopleLimit = 500

func (h *Room) people(ctx context.Context) ([]account.User, map[int64]string, error) {
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	return users, names, err
}

// day reads a date field in the office's zone as a day.
func (h *Room) day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.UTC)
	if err != nil {
		return time.Time{}
	}
	return d
}

// loadProgramme reads the programme of the path, or answers the error page.
func (h *Room) loadProgramme(w http.ResponseWriter, r *http.Request) (workplan.Programme, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return workplan.Programme{}, false
	}
	p, err := h.Work.Programme(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return p, false
	}
	return p, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
