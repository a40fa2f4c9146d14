package plans

import (
	"context"
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// catalogView is the crisis type catalogue, grouped by category.
type catalogView struct {
	Groups    []categoryGroup
	CanManage bool
}

type categoryGroup struct {
	Category catalog.Category
	Types    []typeRow
}

// typeRow is a type in the reader's language.
type typeRow struct {
	ID         int64
	Code       string
	Name       string
	Indicators []string
	Notify     []string
}

func (h *Room) catalogPage(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	types, err := h.Plans.Types(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	notify, err := h.notifyLabels(r.Context(), tr)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := catalogView{CanManage: authz.Can(kit.Role(r), authz.ManageCatalog)}
	for _, c := range catalog.Categories {
		g := categoryGroup{Category: c}
		for _, t := range types {
			if t.Category != c {
				continue
			}
			row := typeRow{ID: t.ID, Code: t.Code, Name: t.Name.For(tr.Lang())}
			for _, ind := range t.Indicators {
				row.Indicators = append(row.Indicators, ind.For(tr.Lang()))
			}
			for _, n := range t.Notify {
				row.Notify = append(row.Notify, notify(n))
			}
			g.Types = append(g.Types, row)
		}
		v.Groups = append(v.Groups, g)
	}
	h.Kit.Render(w, r, http.StatusOK, "catalog", v)
}

// notifyLabels returns a function naming who a type says to tell: a role
// by its translated name, a department by its name, anything else as
// written.
func (h *Room) notifyLabels(ctx context.Context, tr i18n.Translator) (func(string) string, error) {
	deps, _, err := h.Accounts.ListDepartments(ctx, 0, maxDepartments)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(deps))
	for _, d := range deps {
		names[d.Code] = d.Name
	}
	return func(s string) string {
		if authz.Role(s).Valid() {
			return tr.T("role." + s)
		}
		if n, ok := names[s]; ok {
			return n
		}
		return s
	}, nil
}
