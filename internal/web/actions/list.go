package actions

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

const peopleLimit = 500

// filterForm is the list's filters, as the query gives them.
type filterForm struct {
	Source, State string
	OwnerID       int64
	DepartmentID  int64
	Open          bool // open or done, not yet verified: what is owed
}

// listView is the action list with the owed tallies.
type listView struct {
	Filter      filterForm
	Actions     []action.Action
	ByOwner     []action.Owed
	ByDept      []action.Owed
	Names       map[int64]string
	DeptNames   map[int64]string
	People      []account.User
	Departments []account.Department
	Sources     []action.SourceKind
	States      []action.State
	Me          int64
	CanManage   bool
	CanVerify   bool
	Now         time.Time
	Query       string // the filters, for the export link
	Errors      kit.FieldErrors
}

// FormErrors implements kit.Form: a refused done or verify.
func (v listView) FormErrors() kit.FieldErrors { return v.Errors }

func readFilter(r *http.Request) (filterForm, action.Filter) {
	q := r.URL.Query()
	f := filterForm{Source: q.Get("source"), State: q.Get("state"), OwnerID: kit.QueryInt(r, "owner"),
		DepartmentID: kit.QueryInt(r, "department"), Open: q.Get("open") == "1"}
	if q.Get("mine") == "1" {
		f.OwnerID, f.Open = kit.Actor(r).UserID, true
	}
	af := action.Filter{OwnerID: f.OwnerID, DepartmentID: f.DepartmentID, OpenOnly: f.Open}
	if k := action.SourceKind(f.Source); k.Valid() {
		af.Source = k
	} else {
		f.Source = ""
	}
	for _, s := range action.States {
		if string(s) == f.State {
			af.State = s
		}
	}
	if af.State == "" {
		f.State = ""
	}
	return f, af
}

func (h *Room) load(ctx context.Context, r *http.Request) (listView, error) {
	f, af := readFilter(r)
	list, err := h.Actions.List(ctx, af)
	if err != nil {
		return listView{}, err
	}
	now := h.Kit.Now()
	v := listView{Filter: f, Actions: list, Names: map[int64]string{}, DeptNames: map[int64]string{},
		Sources: action.SourceKinds, States: action.States, Me: kit.Actor(r).UserID, Now: now,
		CanManage: authz.Can(kit.Role(r), authz.ManageActions), CanVerify: authz.Can(kit.Role(r), authz.VerifyActions),
		ByOwner: action.Tally(list, now, func(x action.Action) int64 { return x.OwnerID }),
		ByDept:  action.Tally(list, now, func(x action.Action) int64 { return x.DepartmentID }),
		Query:   r.URL.RawQuery}
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: peopleLimit})
	if err != nil {
		return v, err
	}
	for _, u := range users {
		v.Names[u.ID] = u.Name
		if u.DisplayName != "" {
			v.Names[u.ID] = u.DisplayName
		}
	}
	v.People = users
	deps, _, err := h.Accounts.ListDepartments(ctx, 0, peopleLimit)
	if err != nil {
		return v, err
	}
	for _, d := range deps {
		v.DeptNames[d.ID] = d.Name
	}
	v.Departments = deps
	return v, nil
}

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.load(r.Context(), r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "actions", v)
}

// export writes the filtered list as a spreadsheet.
func (h *Room) export(w http.ResponseWriter, r *http.Request) {
	v, err := h.load(r.Context(), r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "actions", func(sw sheet.Writer) error {
		if err := sw.Write(tr.T("action.source"), tr.T("action.text"), tr.T("action.owner"), tr.T("action.department"),
			tr.T("action.due"), tr.T("action.state")); err != nil {
			return err
		}
		for _, x := range v.Actions {
			if err := sw.Write(tr.T("action.source."+string(x.Source.Kind)), x.Words(tr.T), v.Names[x.OwnerID], v.DeptNames[x.DepartmentID],
				x.Due.Format(time.RFC3339), tr.T("action.state."+string(x.State))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "actions", buf.Bytes())
}

func (h *Room) complete(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "action_done", h.Actions.Complete)
}

func (h *Room) verify(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "action_verified", h.Actions.Verify)
}

func (h *Room) act(w http.ResponseWriter, r *http.Request, done string,
	do func(context.Context, authz.Actor, int64) (action.Action, error)) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := do(r.Context(), kit.Actor(r), id)
	if err == nil {
		back := kit.LocalPath(r.PostFormValue("back"))
		if back == "" {
			back = Path
		}
		u, perr := url.Parse(back)
		if perr != nil {
			u = &url.URL{Path: Path}
		}
		q := u.Query()
		q.Set("done", done)
		u.RawQuery = q.Encode()
		kit.Redirect(w, r, u.String())
		return
	}
	tr := h.Kit.T(r)
	var msg string
	status := http.StatusConflict
	switch {
	case fault.Is(err, fault.Forbidden):
		msg, status = tr.T("action.err.forbidden"), http.StatusForbidden
	case fault.Is(err, fault.Conflict):
		msg = tr.T("err.stale")
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, lerr := h.load(r.Context(), r)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	v.Errors = kit.FieldErrors{"": msg}
	h.Kit.Render(w, r, status, "actions", v)
}
