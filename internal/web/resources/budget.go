package resources

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

var budgetRules = kit.FieldKeys{
	"name":            "resource.err.text",
	"source":          "err.choose",
	"cost_item":       "err.choose",
	"year":            "resource.err.year",
	"amount":          "resource.err.amount",
	"line_id":         "err.choose",
	"note":            "resource.err.note",
	"override_reason": "resource.err.override_reason",
	"crisis_id":       "resource.err.target",
	"drill_id":        "resource.err.target",
}

// lineForm is the add-a-line form, as typed.
type lineForm struct {
	Name, Source, CostItem, Year, Amount string
}

// spendForm is the record-spending form, as typed.
type spendForm struct {
	LineID               int64
	Amount, Note, Target string
	Override             bool
	OverrideReason       string
}

// lineRow is a line as the budget page shows it.
type lineRow struct {
	resource.Line
	Percent int
	High    bool
}

// spendRow is one spending as the budget page lists it.
type spendRow struct {
	resource.Spending
	Line, Target string
}

// budgetView is the budget page.
type budgetView struct {
	Lines       []lineRow
	Spending    []spendRow
	Targets     []target
	Sources     []string
	CostItems   []string
	Line        lineForm
	Spend       spendForm
	CanManage   bool
	CanAllocate bool
	Errors      kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v budgetView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) budgetPage(w http.ResponseWriter, r *http.Request) {
	h.renderBudget(w, r, http.StatusOK, budgetView{Line: lineForm{Source: resource.Allocation, CostItem: resource.CostItems[0],
		Year: strconv.Itoa(h.Kit.Now().In(h.Kit.Location()).Year())}})
}

func (h *Room) renderBudget(w http.ResponseWriter, r *http.Request, status int, v budgetView) {
	ctx := r.Context()
	lines, err := h.Resources.Lines(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	spent, err := h.Resources.Spendings(ctx, 0)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	var names map[string]string
	if v.Targets, names, err = h.targets(ctx, h.Kit.T(r).T); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	lineName := map[int64]string{}
	for _, l := range lines {
		v.Lines = append(v.Lines, lineRow{Line: l, Percent: int(l.Share()*100 + 0.5), High: l.Share() > resource.WarnShare})
		lineName[l.ID] = l.Name
	}
	for _, s := range spent {
		v.Spending = append(v.Spending, spendRow{Spending: s, Line: lineName[s.LineID], Target: names[targetOf(s.CrisisID, s.DrillID)]})
	}
	role := kit.Role(r)
	v.Sources, v.CostItems = resource.Sources, resource.CostItems
	v.CanManage, v.CanAllocate = authz.Can(role, authz.ManageResources), authz.Can(role, authz.AllocateResources)
	h.Kit.Render(w, r, status, "resource_budget", v)
}

func (h *Room) addLine(w http.ResponseWriter, r *http.Request) {
	f := lineForm{Name: strings.TrimSpace(r.PostFormValue("name")), Source: r.PostFormValue("source"), CostItem: r.PostFormValue("cost_item"),
		Year: strings.TrimSpace(r.PostFormValue("year")), Amount: strings.TrimSpace(r.PostFormValue("amount"))}
	var bad fault.Fields
	year, yerr := strconv.Atoi(f.Year)
	if yerr != nil {
		bad.Add("year", "not a year")
	}
	amount, aerr := resource.ParseMoney(f.Amount)
	if aerr != nil {
		bad.Add("amount", "%v", aerr)
	}
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Resources.AddLine(r.Context(), kit.Actor(r), resource.Line{Name: f.Name, Source: f.Source, CostItem: f.CostItem, Year: year, Amount: amount})
	}
	h.afterBudget(w, r, err, "resource_line_added", budgetView{Line: f})
}

func (h *Room) spend(w http.ResponseWriter, r *http.Request) {
	f := spendForm{LineID: kit.FormInt(r, "line_id"), Amount: strings.TrimSpace(r.PostFormValue("amount")), Note: r.PostFormValue("note"),
		Target: r.PostFormValue("target"), Override: r.PostFormValue("override") != "", OverrideReason: r.PostFormValue("override_reason")}
	var bad fault.Fields
	amount, aerr := resource.ParseMoney(f.Amount)
	if aerr != nil {
		bad.Add("amount", "%v", aerr)
	}
	crisisID, drillID := parseTarget(f.Target)
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Resources.Spend(r.Context(), kit.Actor(r), resource.Spending{LineID: f.LineID, Amount: amount, CrisisID: crisisID,
			DrillID: drillID, Note: f.Note, Override: f.Override, OverrideReason: f.OverrideReason})
	}
	h.afterBudget(w, r, err, "resource_spent", budgetView{Spend: f, Line: lineForm{Source: resource.Allocation, CostItem: resource.CostItems[0]}})
}

func (h *Room) afterBudget(w http.ResponseWriter, r *http.Request, err error, done string, v budgetView) {
	if err == nil {
		kit.Redirect(w, r, BudgetPath+"?done="+done)
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, budgetRules)
	if !ok {
		if fault.Is(err, fault.Conflict) {
			fe = kit.FieldErrors{"": h.Kit.T(r).T("err.stale")}
		} else {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	for _, k := range []string{"crisis_id", "drill_id"} {
		if m, ok := fe[k]; ok {
			delete(fe, k)
			fe["target"] = m
		}
	}
	v.Errors = fe
	h.renderBudget(w, r, http.StatusUnprocessableEntity, v)
}

// exportBudget sends the budget lines as CSV or XLSX.
func (h *Room) exportBudget(w http.ResponseWriter, r *http.Request) {
	lines, err := h.Resources.Lines(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "Budget", func(sw sheet.Writer) error {
		if err := sw.Write(resource.LineColumns...); err != nil {
			return err
		}
		for _, l := range lines {
			if err := sw.Write(resource.LineRow(l)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "budget", buf.Bytes())
}
