package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestExpertsStored adds, refuses, changes, lists and removes outside
// experts on both engines.
func TestExpertsStored(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		xs := o.st.Experts()
		admin := o.users[authz.Admin]

		for _, c := range []struct {
			name  string
			in    expert.Input
			field string
		}{
			{"no name", expert.Input{Email: "a@example.org", Languages: []string{"en"}}, "name"},
			{"no address", expert.Input{Name: "Dr Chan", Languages: []string{"en"}}, "email"},
			{"bad e-mail", expert.Input{Name: "Dr Chan", Email: "chan at example", Languages: []string{"en"}}, "email"},
			{"bad phone", expert.Input{Name: "Dr Chan", Phone: "12345", Languages: []string{"en"}}, "phone"},
			{"no language", expert.Input{Name: "Dr Chan", Email: "chan@example.org"}, "languages"},
			{"unknown language", expert.Input{Name: "Dr Chan", Email: "chan@example.org", Languages: []string{"fr"}}, "languages"},
		} {
			_, err := xs.Create(ctx, admin, c.in)
			if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != c.field {
				t.Errorf("%s: %v, want the field %s named", c.name, err, c.field)
			}
		}
		if _, err := xs.Create(ctx, o.users[authz.Editor], expert.Input{Name: "Dr Chan", Email: "chan@example.org", Languages: []string{"en"}}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an editor added an expert: %v", err)
		}
		if _, total, _ := xs.List(ctx, 0, 10); total != 0 {
			t.Fatalf("refused input was stored: %d experts", total)
		}

		e, err := xs.Create(ctx, admin, expert.Input{Name: " Dr Chan Tai-man ", Organisation: "Observatory", Field: "Meteorology",
			Email: "chan@example.org", Phone: "+852 9123 4567", Languages: []string{"zh-Hant", "en", "en"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if e.Name != "Dr Chan Tai-man" || e.Phone != "+85291234567" || !slices.Equal(e.Languages, []string{"zh-Hant", "en"}) || !e.Active || e.Language() != "zh-Hant" {
			t.Fatalf("stored %+v", e)
		}
		in := expert.Input{Name: e.Name, Organisation: "University", Field: e.Field, Email: e.Email, Languages: []string{"en"}, Version: e.Version}
		u, err := xs.Update(ctx, admin, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if u.Organisation != "University" || u.Phone != "" || u.Active || u.Version != e.Version+1 {
			t.Fatalf("updated %+v", u)
		}
		if _, err := xs.Update(ctx, admin, e.ID, in); !fault.Is(err, fault.Conflict) {
			t.Fatalf("a stale update: %v", err)
		}
		list, total, err := xs.List(ctx, 0, 10)
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("list %v %d %v", list, total, err)
		}
		if err := xs.Delete(ctx, admin, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := xs.Get(ctx, e.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("after delete: %v", err)
		}
	})
}

// TestNoticeToExpertsFansOut publishes an internal notice addressed to the
// outside experts: each active one gets one e-mail and one SMS, to the
// addresses they gave, in their language; inactive ones get nothing, and a
// walk again adds nothing.
func TestNoticeToExpertsFansOut(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		add := func(in expert.Input) expert.Expert {
			e, err := o.st.Experts().Create(ctx, o.users[authz.Admin], in)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		both := add(expert.Input{Name: "Dr Chan", Email: "chan@example.org", Phone: "+85291234567", Languages: []string{"zh-Hans"}, Active: true})
		mail := add(expert.Input{Name: "Dr Lee", Email: "lee@example.org", Languages: []string{"en"}, Active: true})
		add(expert.Input{Name: "Dr Retired", Email: "old@example.org", Languages: []string{"en"}})

		n := publish(t, o, notice.Notice{Kind: notice.Update, Audience: notice.Internal, Experts: true,
			Contents: []notice.Content{{Language: "en", Headline: "Advice needed", Body: "Call the desk."}}})
		if !n.Experts {
			t.Fatal("the notice forgot its experts")
		}
		d := o.st.Deliveries()
		if got := walk(t, d, n.ID, 10); got != 3 {
			t.Fatalf("added %d deliveries, want 3", got)
		}
		if again := walk(t, d, n.ID, 10); again != 0 {
			t.Fatalf("a second walk added %d", again)
		}
		c, err := d.Claim(ctx, n.ID, channel.Email, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]delivery.Item{}
		for _, it := range c.Items {
			got[it.Address] = it
		}
		sms, err := d.Claim(ctx, n.ID, channel.SMS, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range sms.Items {
			got[it.Address] = it
		}
		for addr, want := range map[string]struct {
			id   int64
			lang string
		}{"chan@example.org": {both.ID, "zh-Hans"}, "+85291234567": {both.ID, "zh-Hans"}, "lee@example.org": {mail.ID, "en"}} {
			it, ok := got[addr]
			if !ok || it.RecipientKind != delivery.ToExpert || it.RecipientID != want.id || it.Language != want.lang {
				t.Errorf("%s: %+v (found %v)", addr, it.Delivery, ok)
			}
		}
		if len(got) != 3 {
			t.Errorf("claimed %d deliveries, want 3", len(got))
		}
	})
}
