package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestMatrixRowMetOnlyByANoticeThatReachesIt publishes a public, a media
// an internal notice to roles and one to the outside experts in a crisis whose plan has a row per audience:
// each row's period is met only by a notice that reaches that row's
// audience on every one of its channels.
func TestMatrixRowMetOnlyByANoticeThatReachesIt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		body := typhoonBody()
		row := func(key, audience string, channels ...string) plan.CommRow {
			return plan.CommRow{Key: key, Level: catalog.LevelII, Audience: audience, Content: "Update", Channels: channels,
				Cadence: plan.Duration(time.Hour), Phase: plan.Response}
		}
		body.Matrix = []plan.CommRow{
			row("pub", "public", "web", "sms"),
			row("media-mail", "media", "email"), // no notice e-mails the media
			row("media-hook", "media", "webhook"),
			row("deps", "departments", "email"), // the internal notice names roles only
			row("team", "team", "app", "email"),
			row("experts", "experts", "email", "sms"), // the notice addressed to the experts
			row("experts-app", "experts", "app"),      // experts have no account: no notice reaches them in the app
			row("phone", "public", "web", "phone"),
		}
		ps := o.st.Plans()
		p, err := ps.Create(ctx, o.users[authz.Editor], "typhoon", o.typ.ID, "Typhoon plan", body)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			f func(context.Context, authz.Actor, int64, string) (plan.Plan, error)
			a authz.Role
		}{{ps.Submit, authz.Editor}, {ps.Review, authz.Reviewer}, {ps.Approve, authz.Approver}} {
			if p, err = step.f(ctx, o.users[step.a], p.ID, "ok"); err != nil {
				t.Fatalf("%s: %v", step.a, err)
			}
		}
		c, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now().Add(-10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err = o.st.Crises().Activate(ctx, o.users[authz.Commander], c.ID, p.ID); err != nil {
			t.Fatal(err)
		}

		pub := publicNotice(c.ID)
		media := publicNotice(c.ID)
		media.Audience = notice.Media
		internal := notice.Notice{CrisisID: c.ID, Kind: notice.Update, Audience: notice.Internal, Roles: []authz.Role{authz.Liaison},
			Contents: []notice.Content{{Language: "en", Headline: "Briefing at 18:00", Body: "Room 3."}}}
		experts := notice.Notice{CrisisID: c.ID, Kind: notice.Update, Audience: notice.Internal, Experts: true,
			Contents: []notice.Content{{Language: "en", Headline: "Advice needed", Body: "Call the desk."}}}
		for _, n := range []notice.Notice{pub, media, internal, experts} {
			publish(t, o, n)
		}
		got, err := o.st.Crises().Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		met := map[string]bool{}
		for _, k := range got.Clocks {
			if k.Kind == crisis.CadenceClock && strings.HasSuffix(k.Name, "#1") {
				met[k.Ref] = !k.MetAt.IsZero()
			}
		}
		want := map[string]bool{"pub": true, "media-mail": false, "media-hook": true, "deps": false, "team": true, "experts": true, "experts-app": false, "phone": false}
		for k, w := range want {
			if m, ok := met[k]; !ok || m != w {
				t.Errorf("row %s: met %v (clock found: %v), want %v", k, m, ok, w)
			}
		}
	})
}
