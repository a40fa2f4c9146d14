package store_test

import (
	"context"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// A crisis is public from its first published public notice or from a
// commander showing it; the Public filter lists only those.
func TestCrisisPublicSince(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		real, p := activeCrisis(t, o, false)
		drill, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Drill", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", Exercise: true})
		if err == nil {
			drill, err = o.st.Crises().Activate(ctx, o.users[authz.Commander], drill.ID, p.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		shown, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Shown early", TypeID: o.typ.ID,
			Level: catalog.LevelIII, Location: "Pier"})
		if err != nil {
			t.Fatal(err)
		}
		listed := func(exercise bool) map[int64]bool {
			t.Helper()
			cs, _, err := o.st.Crises().List(ctx, crisis.Filter{Open: true, Public: true, Exercise: &exercise})
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			for _, c := range cs {
				out[c.ID] = true
			}
			return out
		}
		if got := listed(false); len(got) != 0 {
			t.Fatalf("public before anything was published or shown: %v", got)
		}
		// An internal notice does not make it public; a public one does.
		in := publicNotice(real.ID)
		in.Audience, in.Roles = notice.Internal, []authz.Role{authz.Commander}
		publish(t, o, in)
		if got := listed(false); got[real.ID] {
			t.Fatal("an internal notice put the crisis on the public site")
		}
		publish(t, o, publicNotice(real.ID))
		publish(t, o, publicNotice(drill.ID))
		if got := listed(false); !got[real.ID] || got[drill.ID] || len(got) != 1 {
			t.Fatalf("real crises on the public site: %v", got)
		}
		if got := listed(true); !got[drill.ID] || len(got) != 1 {
			t.Fatalf("exercises on the public site: %v", got)
		}
		c, err := o.st.Crises().ShowPublicly(ctx, o.users[authz.Commander], shown.ID)
		if err != nil || c.PublicSince.IsZero() || c.PublicBy != o.users[authz.Commander].UserID {
			t.Fatalf("show: %+v %v", c, err)
		}
		if _, err := o.st.Crises().ShowPublicly(ctx, o.users[authz.Commander], real.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("showing a public crisis again: %v", err)
		}
		if got := listed(false); !got[shown.ID] || len(got) != 2 {
			t.Fatalf("after showing: %v", got)
		}
	})
}
