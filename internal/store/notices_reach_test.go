package store_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// TestReachIsWhatTheFanoutSends: the counts the publish confirmation shows
// before publishing are the deliveries the fan-out then writes, per
// channel; an exercise reaches no subscriber; an internal notice counts
// its staff.
func TestReachIsWhatTheFanoutSends(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		for i := range 4 {
			addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: fmt.Sprintf("r%d@example.org", i)})
		}
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: "health@example.org",
			Categories: []catalog.Category{catalog.PublicHealth}})
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.SMS, Address: "+85290000001",
			Area: subscriber.Area{Point: &subscriber.Point{Lat: 40, Lon: 116}}})
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.SMS, Address: "+85290000003",
			Area: subscriber.Area{Point: &subscriber.Point{Lat: 22.55, Lon: 114.1}}})
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.SMS, Address: "+85290000004"})
		if _, err := o.st.Endpoints().Register(ctx, o.users[authz.Admin], subscriber.Endpoint{Name: "Radio", URL: "http://radio.example/hook",
			Secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", Audiences: []string{"public"}}); err != nil {
			t.Fatal(err)
		}
		real, p := activeCrisis(t, o, false)
		drill, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Drill", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now().Add(-5 * time.Minute), Exercise: true})
		if err != nil {
			t.Fatal(err)
		}
		if drill, err = o.st.Crises().Activate(ctx, o.users[authz.Commander], drill.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		ns := o.st.Notices()
		reach := func(n notice.Notice) (notice.Notice, notice.Reach) {
			t.Helper()
			d, err := ns.Create(ctx, o.users[authz.Editor], n)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ns.Reach(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return d, r
		}

		d, got := reach(publicNotice(real.ID))
		want := notice.Reach{channel.Email: 4, channel.SMS: 2, channel.Webhook: 1}
		if !maps.Equal(got, want) || got.Total() != 7 {
			t.Fatalf("reach of a public notice = %v, want %v", got, want)
		}
		if _, err := ns.Submit(ctx, o.users[authz.Editor], d.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := ns.Approve(ctx, o.users[authz.Approver], d.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := ns.Publish(ctx, o.users[authz.Approver], d.ID); err != nil {
			t.Fatal(err)
		}
		walk(t, o.st.Deliveries(), d.ID, 3)
		sent := notice.Reach{}
		rows, err := o.st.Writer().QueryContext(ctx, `SELECT channel FROM deliveries WHERE notice_id = $1`, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var ch string
			if err := rows.Scan(&ch); err != nil {
				t.Fatal(err)
			}
			sent[ch]++
		}
		rows.Close()
		if !maps.Equal(sent, want) {
			t.Errorf("the fan-out wrote %v, the reach said %v", sent, want)
		}

		if _, got := reach(publicNotice(drill.ID)); len(got) != 0 {
			t.Errorf("an exercise reaches %v; want no subscriber and no webhook for real notices", got)
		}
		internal := publicNotice(real.ID)
		internal.Audience, internal.Roles = notice.Internal, []authz.Role{authz.Approver, authz.Commander}
		if _, got := reach(internal); got[channel.App] != 2 || got[channel.SMS] != 0 {
			t.Errorf("an internal notice to two roles reaches %v", got)
		}
	})
}
