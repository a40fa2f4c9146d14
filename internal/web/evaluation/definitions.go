package evaluation

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/web/kit"
)

// defsView lists every version of every definition, and the form for a
// new version.
type defsView struct {
	All       []kpi.Definition
	Current   kpi.Set
	Keys      []kpi.Key
	Stats     []kpi.Statistic
	CanDefine bool
	Form      defForm
}

type defForm struct {
	Key, ValidFrom, Formula, Notes, Statistic, Target string
	Errors                                            kit.FieldErrors
}

var defRules = kit.FieldKeys{"key": "evaluation.err.key", "formula": "evaluation.err.formula",
	"valid_from": "evaluation.err.valid_from", "statistic": "evaluation.err.statistic", "target": "evaluation.err.target",
	"notes": "evaluation.err.notes"}

func (h *Room) definitionsPage(w http.ResponseWriter, r *http.Request) {
	h.renderDefs(w, r, http.StatusOK, defForm{Key: string(kpi.FirstNotice), Statistic: string(kpi.Median),
		ValidFrom: kit.DateText(h.Kit.Now())})
}

func (h *Room) renderDefs(w http.ResponseWriter, r *http.Request, status int, f defForm) {
	cur, all, err := h.current(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "evaluation_definitions", defsView{All: all, Current: cur, Keys: kpi.Keys, Stats: kpi.Statistics,
		CanDefine: authz.Can(kit.Role(r), authz.DefineKPI), Form: f})
}

func (h *Room) define(w http.ResponseWriter, r *http.Request) {
	f := defForm{Key: r.PostFormValue("key"), ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), Formula: r.PostFormValue("formula"),
		Notes: r.PostFormValue("notes"), Statistic: r.PostFormValue("statistic"), Target: strings.TrimSpace(r.PostFormValue("target"))}
	tr := h.Kit.T(r)
	d := kpi.Definition{Key: kpi.Key(f.Key), Formula: f.Formula, Notes: f.Notes, Statistic: kpi.Statistic(f.Statistic)}
	fe := kit.FieldErrors{}
	if f.ValidFrom != "" {
		t, err := time.Parse(time.DateOnly, f.ValidFrom)
		if err != nil {
			fe["valid_from"] = tr.T("evaluation.err.valid_from")
		}
		d.ValidFrom = t
	}
	if f.Target != "" {
		n, err := strconv.Atoi(f.Target)
		if err != nil {
			fe["target"] = tr.T("evaluation.err.target")
		}
		d.Target = n
	}
	if len(fe) == 0 {
		_, err := h.Evaluation.Define(r.Context(), kit.Actor(r), d)
		if err == nil {
			kit.Redirect(w, r, DefinitionsPath+"?done=kpi_defined")
			return
		}
		var ok bool
		if fe, ok = kit.InvalidFields(tr, err, defRules); !ok {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	f.Errors = fe
	h.renderDefs(w, r, http.StatusUnprocessableEntity, f)
}

// FormErrors implements kit.Form.
func (v defsView) FormErrors() kit.FieldErrors { return v.Form.Errors }
