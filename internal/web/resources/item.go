package resources

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/web/kit"
)

// itemRules explain the domain's validation of an item and a movement.
var itemRules = kit.FieldKeys{
	"name":        "resource.err.text",
	"unit":        "resource.err.text",
	"location":    "resource.err.text",
	"category":    "err.choose",
	"quantity":    "resource.err.quantity",
	"minimum":     "resource.err.quantity",
	"acquisition": "err.choose",
	"lease_end":   "resource.err.lease_end",
	"expiry":      "resource.err.date",
	"reason":      "err.choose",
	"crisis_id":   "resource.err.target",
	"drill_id":    "resource.err.target",
	"note":        "resource.err.text",
}

// itemForm is the item form, as typed.
type itemForm struct {
	ID                             int64
	Name, Category, Unit, Location string
	Quantity, Minimum              string
	Acquisition, LeaseEnd, Expiry  string
	Version                        int64
	Errors                         kit.FieldErrors
}

// moveForm is the allocate-or-move form, as typed.
type moveForm struct {
	Reason, Quantity, Note string
	Target                 string // "crisis:ID" or "drill:ID"
	Errors                 kit.FieldErrors
}

// target is a crisis or drill supplies and money may go to.
type target struct {
	Value, Label string
}

// itemView is the new-item page and the item page.
type itemView struct {
	Item        resource.Item
	Form        itemForm
	Move        moveForm
	Movements   []movementRow
	Targets     []target
	Categories  []string
	Reasons     []string
	CanManage   bool
	CanAllocate bool
}

// movementRow is a movement as the item page lists it.
type movementRow struct {
	resource.Movement
	Actor, Target string
}

// FormErrors implements kit.Form: the item form's, else the move form's.
func (v itemView) FormErrors() kit.FieldErrors {
	if len(v.Form.Errors) > 0 {
		return v.Form.Errors
	}
	return v.Move.Errors
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func formOf(it resource.Item) itemForm {
	return itemForm{ID: it.ID, Name: it.Name, Category: it.Category, Unit: it.Unit, Location: it.Location,
		Quantity: strconv.FormatInt(it.Quantity, 10), Minimum: strconv.FormatInt(it.Minimum, 10), Acquisition: it.Acquisition,
		LeaseEnd: dateOf(it.LeaseEnd), Expiry: dateOf(it.Expiry), Version: it.Version}
}

func itemFormFrom(r *http.Request) itemForm {
	v := func(n string) string { return strings.TrimSpace(r.PostFormValue(n)) }
	return itemForm{Name: v("name"), Category: v("category"), Unit: v("unit"), Location: v("location"), Quantity: v("quantity"),
		Minimum: v("minimum"), Acquisition: v("acquisition"), LeaseEnd: v("lease_end"), Expiry: v("expiry"), Version: kit.FormInt(r, "version")}
}

// item reads the form; what does not parse is reported on its field.
func (f itemForm) item() (resource.Item, fault.Fields) {
	var bad fault.Fields
	num := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			bad.Add(field, "not a whole number")
		}
		return n
	}
	date := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			bad.Add(field, "not a date")
		}
		return t
	}
	it := resource.Item{ID: f.ID, Name: f.Name, Category: f.Category, Unit: f.Unit, Location: f.Location,
		Quantity: num("quantity", f.Quantity), Minimum: num("minimum", f.Minimum), Acquisition: f.Acquisition,
		LeaseEnd: date("lease_end", f.LeaseEnd), Expiry: date("expiry", f.Expiry), Version: f.Version}
	return it, bad
}

// targets lists the open crises and the drills not closed, for the move
// and spend forms.
func (h *Room) targets(ctx context.Context, tr func(string, ...any) string) ([]target, map[string]string, error) {
	cs, _, err := h.Crises.List(ctx, crisis.Filter{Open: true, Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	ds, _, err := h.Drills.List(ctx, drill.Filter{Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	var out []target
	names := map[string]string{}
	for _, c := range cs {
		t := target{"crisis:" + kit.Itoa(c.ID), tr("resource.target.crisis", "Title", c.Title)}
		out, names[t.Value] = append(out, t), t.Label
	}
	for _, d := range ds {
		if d.State == drill.Closed {
			continue
		}
		t := target{"drill:" + kit.Itoa(d.ID), tr("resource.target.drill", "Title", d.Title)}
		out, names[t.Value] = append(out, t), t.Label
	}
	return out, names, nil
}

// parseTarget reads "crisis:ID" or "drill:ID".
func parseTarget(s string) (crisisID, drillID int64) {
	kind, id, _ := strings.Cut(s, ":")
	n, _ := strconv.ParseInt(id, 10, 64)
	switch kind {
	case "crisis":
		return n, 0
	case "drill":
		return 0, n
	}
	return 0, 0
}

func targetOf(crisisID, drillID int64) string {
	switch {
	case crisisID != 0:
		return "crisis:" + kit.Itoa(crisisID)
	case drillID != 0:
		return "drill:" + kit.Itoa(drillID)
	}
	return ""
}

func (h *Room) renderItem(w http.ResponseWriter, r *http.Request, status int, page string, it resource.Item, f itemForm, mf moveForm) {
	ctx := r.Context()
	tr := h.Kit.T(r)
	role := kit.Role(r)
	v := itemView{Item: it, Form: f, Move: mf, Categories: resource.Categories, Reasons: resource.Reasons,
		CanManage: authz.Can(role, authz.ManageResources), CanAllocate: authz.Can(role, authz.AllocateResources)}
	if page == "resource_item" {
		var names map[string]string
		var err error
		if v.Targets, names, err = h.targets(ctx, tr.T); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		ms, err := h.Resources.Movements(ctx, resource.MovementFilter{ItemID: it.ID, Limit: 100})
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: 500})
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		who := map[int64]string{}
		for _, u := range users {
			who[u.ID] = u.DisplayName
		}
		for _, m := range ms {
			v.Movements = append(v.Movements, movementRow{Movement: m, Actor: who[m.ActorID], Target: names[targetOf(m.CrisisID, m.DrillID)]})
		}
	}
	h.Kit.Render(w, r, status, page, v)
}

func (h *Room) newItemPage(w http.ResponseWriter, r *http.Request) {
	h.renderItem(w, r, http.StatusOK, "resource_item_new", resource.Item{}, itemForm{Category: resource.Categories[0], Acquisition: resource.Bought, Quantity: "0", Minimum: "0"}, moveForm{})
}

func (h *Room) createItem(w http.ResponseWriter, r *http.Request) {
	f := itemFormFrom(r)
	it, bad := f.item()
	err := kit.MergeFields(bad, nil)
	if err == nil {
		it, err = h.Resources.AddItem(r.Context(), kit.Actor(r), it)
	}
	if err == nil {
		kit.Redirect(w, r, ItemsPath+"/"+kit.Itoa(it.ID)+"?done=resource_item_created")
		return
	}
	h.refuseItem(w, r, "resource_item_new", resource.Item{}, f, err)
}

func (h *Room) refuseItem(w http.ResponseWriter, r *http.Request, page string, it resource.Item, f itemForm, err error) {
	if fault.Is(err, fault.Conflict) {
		f.Errors = kit.FieldErrors{"": h.Kit.T(r).T("err.stale")}
		h.renderItem(w, r, http.StatusConflict, page, it, f, moveForm{Reason: resource.Allocate})
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, itemRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderItem(w, r, http.StatusUnprocessableEntity, page, it, f, moveForm{Reason: resource.Allocate})
}

func (h *Room) load(w http.ResponseWriter, r *http.Request) (resource.Item, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return resource.Item{}, false
	}
	it, err := h.Resources.Item(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return it, false
	}
	return it, true
}

func (h *Room) itemPage(w http.ResponseWriter, r *http.Request) {
	it, ok := h.load(w, r)
	if !ok {
		return
	}
	h.renderItem(w, r, http.StatusOK, "resource_item", it, formOf(it), moveForm{Reason: resource.Allocate, Target: r.URL.Query().Get("to")})
}

func (h *Room) saveItem(w http.ResponseWriter, r *http.Request) {
	it, ok := h.load(w, r)
	if !ok {
		return
	}
	f := itemFormFrom(r)
	f.ID, f.Quantity = it.ID, strconv.FormatInt(it.Quantity, 10)
	in, bad := f.item()
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Resources.SaveItem(r.Context(), kit.Actor(r), in)
	}
	if err == nil {
		kit.Redirect(w, r, ItemsPath+"/"+kit.Itoa(it.ID)+"?done=resource_item_saved")
		return
	}
	h.refuseItem(w, r, "resource_item", it, f, err)
}

func (h *Room) moveItem(w http.ResponseWriter, r *http.Request) {
	it, ok := h.load(w, r)
	if !ok {
		return
	}
	mf := moveForm{Reason: r.PostFormValue("reason"), Quantity: strings.TrimSpace(r.PostFormValue("quantity")),
		Note: r.PostFormValue("note"), Target: r.PostFormValue("target")}
	var bad fault.Fields
	n, perr := strconv.ParseInt(mf.Quantity, 10, 64)
	if perr != nil {
		bad.Add("quantity", "not a whole number")
	}
	crisisID, drillID := parseTarget(mf.Target)
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Resources.MoveItem(r.Context(), kit.Actor(r), resource.Movement{ItemID: it.ID, Delta: n, Reason: mf.Reason,
			CrisisID: crisisID, DrillID: drillID, Note: mf.Note})
	}
	if err == nil {
		kit.Redirect(w, r, ItemsPath+"/"+kit.Itoa(it.ID)+"?done=resource_moved")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, itemRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	if m, ok := fe["crisis_id"]; ok {
		delete(fe, "crisis_id")
		fe["target"] = m
	}
	mf.Errors = fe
	h.renderItem(w, r, http.StatusUnprocessableEntity, "resource_item", it, formOf(it), mf)
}
