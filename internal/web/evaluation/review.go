package evaluation

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/review"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// reviewView is a post-crisis review as its print view and export show
// it: the lessons and actions with their owners, the facts drafted from
// what the crisis recorded (frozen once signed), the clock and signature.
type reviewView struct {
	Crisis  crisis.Crisis
	Review  crisis.Review
	Signoff review.Signoff
	Facts   review.Facts
	Names   map[int64]string
	Overdue bool
	CanSign bool // the reader may sign now: an approver who did not write it
}

func (h *Room) loadReview(w http.ResponseWriter, r *http.Request) (reviewView, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return reviewView{}, false
	}
	c, err := h.Crises.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reviewView{}, false
	}
	rv, err := h.Crises.Review(r.Context(), id)
	if err == nil {
		var so review.Signoff
		if so, err = h.Reviews.Signoff(r.Context(), id); err == nil {
			v := reviewView{Crisis: c, Review: rv, Signoff: so, Facts: so.Facts}
			if !so.Signed() {
				v.Facts, err = h.Reviews.Draft(r.Context(), id)
			}
			if err == nil {
				v.Names, err = h.names(r)
			}
			v.Overdue = !so.Signed() && !so.DueAt.IsZero() && h.Kit.Now().After(so.DueAt)
			a := kit.Actor(r)
			v.CanSign = !so.Signed() && so.AuthorID != 0 && so.AuthorID != a.UserID && authz.Can(a.Role, authz.SignReview)
			if err == nil {
				return v, true
			}
		}
	}
	if fault.Is(err, fault.NotFound) {
		h.Kit.ErrorPageKey(w, r, http.StatusConflict, "review.not_closed")
	} else {
		h.Kit.Fail(w, r, err)
	}
	return reviewView{}, false
}

func (h *Room) reviewPrint(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadReview(w, r); ok {
		h.Kit.Render(w, r, http.StatusOK, "review_print", v)
	}
}

func (h *Room) signReview(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := h.Reviews.Sign(r.Context(), kit.Actor(r), id)
	switch {
	case err == nil:
		kit.Redirect(w, r, "/desk/crises/"+kit.Itoa(id)+"/review/print?done=review_signed")
	case fault.Is(err, fault.Forbidden) && strings.Contains(err.Error(), "author"):
		h.Kit.ErrorPageKey(w, r, http.StatusForbidden, "evaluation.err.own_review")
	case fault.Is(err, fault.Conflict):
		h.Kit.ErrorPageKey(w, r, http.StatusConflict, "evaluation.err.review_sign")
	default:
		h.Kit.Fail(w, r, err)
	}
}

// reviewXLSX exports the review as one worksheet: lessons, actions with
// owners, clocks, notices with their reach, and the signature.
func (h *Room) reviewXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReview(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	var buf bytes.Buffer
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	err := kit.WriteExport(&buf, "xlsx", "Review", func(sw sheet.Writer) error {
		rows := [][]string{
			{"crisis", v.Crisis.Title, "", ""},
			{"due", stamp(v.Signoff.DueAt), "", ""},
			{"signed_by", v.Names[v.Signoff.SignedBy], stamp(v.Signoff.SignedAt), ""},
			{"lessons", v.Review.Lessons, "", ""},
		}
		for _, it := range v.Review.ActionItems {
			rows = append(rows, []string{"action", it.Text, v.Names[it.OwnerID], kit.DateText(it.DueAt)})
		}
		for _, c := range v.Facts.Clocks {
			rows = append(rows, []string{"clock", c.Name, c.State, stamp(c.Due)})
		}
		for _, n := range v.Facts.Notices {
			rows = append(rows, []string{"notice", n.Headline, n.Kind + " " + n.Correction,
				strconv.Itoa(n.Reached) + "/" + strconv.Itoa(n.Recipients)})
		}
		for _, p := range v.Facts.Pending {
			rows = append(rows, []string{"pending", p, tr.T("evaluation.no_data"), ""})
		}
		for _, row := range rows {
			if err := sw.Write(row...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, "xlsx", "crisis-"+kit.Itoa(v.Crisis.ID)+"-review", buf.Bytes())
}
