package evaluation

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/web/kit"
)

// lessonsView is the lessons library: a search in any language over
// closed crises, reviews, drill reports and published notices.
type lessonsView struct {
	Q        string
	TypeID   int64
	Kind     string
	Kinds    []lessons.Kind
	Types    []catalog.Type
	Lang     string
	Hits     []lessons.Hit
	Searched bool
	Errors   kit.FieldErrors
}

var lessonsRules = kit.FieldKeys{"q": "lessons.err.q"}

func (h *Room) lessonsPage(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	q := r.URL.Query()
	v := lessonsView{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Kinds: lessons.Kinds, Lang: tr.Lang()}
	v.TypeID, _ = strconv.ParseInt(q.Get("type"), 10, 64)
	types, err := h.Plans.Types(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Types = types
	// The library is brought up to date as it is read: a copy of what
	// changed since the last visit, nothing when nothing did; never
	// waiting on a busy writer.
	if err := lessons.Freshen(r.Context(), h.Lessons); err != nil {
		h.Kit.Logger().Warn("lessons library searched as it stands", "err", err)
	}
	status := http.StatusOK
	switch {
	case v.Q != "":
		v.Searched = true
		v.Hits, err = h.Lessons.Search(r.Context(), lessons.Query{Text: v.Q, TypeID: v.TypeID, Kind: lessons.Kind(v.Kind)})
		if err != nil {
			fe, ok := kit.InvalidFields(tr, err, lessonsRules)
			if !ok {
				h.Kit.Fail(w, r, err)
				return
			}
			v.Errors, status = fe, http.StatusUnprocessableEntity
		}
	case v.TypeID != 0:
		v.Searched = true
		if v.Hits, err = h.Lessons.ForType(r.Context(), v.TypeID, 20); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	h.Kit.Render(w, r, status, "lessons", v)
}

// FormErrors implements kit.Form.
func (v lessonsView) FormErrors() kit.FieldErrors { return v.Errors }
