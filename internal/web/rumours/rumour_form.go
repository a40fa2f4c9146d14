package rumours

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/web/kit"
)

// form is the rumour form as typed.
type form struct {
	ID        int64
	Lock      int64
	CrisisID  int64
	Claim     string
	Facts     string
	Verdict   string
	Spread    string
	OwnerID   int64
	FirstSeen string // datetime-local in the office's zone
	Errors    kit.FieldErrors
}

// formView is the new-rumour page.
type formView struct {
	Form    form
	Choices choices
}

// FormErrors implements kit.Form.
func (v formView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// choices are what the form's lists offer.
type choices struct {
	Crises   []crisis.Crisis
	People   []account.User
	Verdicts []rumour.Verdict
	Spreads  []rumour.Spread
}

func (h *Room) choices(ctx context.Context) (choices, error) {
	cs, _, err := h.Crises.List(ctx, crisis.Filter{Limit: 100})
	if err != nil {
		return choices{}, err
	}
	us, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: 500})
	if err != nil {
		return choices{}, err
	}
	var people []account.User
	for _, u := range us {
		if !u.Disabled {
			people = append(people, u)
		}
	}
	return choices{Crises: cs, People: people, Verdicts: rumour.Verdicts, Spreads: rumour.Spreads}, nil
}

func formFrom(r *http.Request) form {
	_ = r.ParseForm()
	id := func(name string) int64 { n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64); return n }
	return form{Lock: id("lock"), CrisisID: id("crisis_id"), Claim: r.PostFormValue("claim"), Facts: r.PostFormValue("facts"),
		Verdict: r.PostFormValue("verdict"), Spread: r.PostFormValue("spread"), OwnerID: id("owner_id"),
		FirstSeen: strings.TrimSpace(r.PostFormValue("first_seen"))}
}

func (h *Room) formOf(x rumour.Rumour) form {
	return form{ID: x.ID, Lock: x.Lock, CrisisID: x.CrisisID, Claim: x.Claim, Facts: x.Facts, Verdict: string(x.Verdict),
		Spread: string(x.Spread), OwnerID: x.OwnerID, FirstSeen: x.FirstSeen.In(h.Kit.Location()).Format(kit.DatetimeLocal)}
}

// input reads the form; bad holds what does not parse.
func (h *Room) input(f form) (rumour.Input, fault.Fields) {
	var bad fault.Fields
	in := rumour.Input{CrisisID: f.CrisisID, Claim: f.Claim, Facts: f.Facts, Verdict: rumour.Verdict(f.Verdict),
		Spread: rumour.Spread(f.Spread), OwnerID: f.OwnerID}
	if f.FirstSeen != "" {
		t, err := time.ParseInLocation(kit.DatetimeLocal, f.FirstSeen, h.Kit.Location())
		if err != nil {
			bad.Add("first_seen", "not a time")
		}
		in.FirstSeen = t
	}
	return in, bad
}

func (h *Room) newPage(w http.ResponseWriter, r *http.Request) {
	f := form{Verdict: string(rumour.Unverified), Spread: string(rumour.Low), OwnerID: kit.Actor(r).UserID,
		CrisisID: kit.QueryInt(r, "crisis"), FirstSeen: h.Kit.Now().In(h.Kit.Location()).Format(kit.DatetimeLocal)}
	h.renderNew(w, r, http.StatusOK, f)
}

func (h *Room) renderNew(w http.ResponseWriter, r *http.Request, status int, f form) {
	c, err := h.choices(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "rumour_new", formView{Form: f, Choices: c})
}

// check runs the form through the domain's rules, then save.
func (h *Room) check(r *http.Request, f form, save func(rumour.Input) error) (kit.FieldErrors, int, error) {
	in, bad := h.input(f)
	in.Normalize()
	return kit.CheckAndSave(h.Kit.T(r), kit.MergeFields(bad, in.Validate(h.Kit.Now())), rules, rules,
		func() error { return save(in) })
}

func (h *Room) create(w http.ResponseWriter, r *http.Request) {
	f := formFrom(r)
	var x rumour.Rumour
	fe, status, err := h.check(r, f, func(in rumour.Input) (err error) {
		x, err = h.Rumours.Create(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderNew(w, r, status, f)
	default:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(x.ID)+"?done=rumour_created")
	}
}

func (h *Room) save(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := formFrom(r)
	f.ID = id
	fe, status, err := h.check(r, f, func(in rumour.Input) error {
		_, err := h.Rumours.Save(r.Context(), kit.Actor(r), id, f.Lock, in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		h.renderRumour(w, r, status, id, func(v *rumourView) { f.Errors = fe; v.Form = f })
	default:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done=rumour_saved")
	}
}
