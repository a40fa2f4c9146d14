package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// publish drafts, approves and publishes n in a real (not exercise)
// typhoon crisis unless n names another.
func publish(t *testing.T, o *office, n notice.Notice) notice.Notice {
	t.Helper()
	ctx := context.Background()
	if n.CrisisID == 0 {
		if o.real == 0 {
			c, _ := activeCrisis(t, o, false)
			o.real = c.ID
		}
		n.CrisisID = o.real
	}
	ns := o.st.Notices()
	d, err := ns.Create(ctx, o.users[authz.Editor], n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = ns.Submit(ctx, o.users[authz.Editor], d.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = ns.Approve(ctx, o.users[authz.Approver], d.ID, ""); err != nil {
		t.Fatal(err)
	}
	out, err := ns.Publish(ctx, o.users[authz.Approver], d.ID)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func addSubscriber(t *testing.T, o *office, s subscriber.Subscriber) subscriber.Subscriber {
	t.Helper()
	if s.Language == "" {
		s.Language = "en"
	}
	s.Source = subscriber.FromImport
	out, err := o.st.Subscribers().Create(context.Background(), o.users[authz.Admin], s)
	if err != nil {
		t.Fatalf("subscriber %s: %v", s.Address, err)
	}
	return out
}

// walk runs the fan-out to its end in batches of size.
func walk(t *testing.T, d *store.Deliveries, noticeID int64, size int) int {
	t.Helper()
	total := 0
	for range 10000 {
		added, done, err := d.FanoutBatch(context.Background(), noticeID, size)
		if err != nil {
			t.Fatal(err)
		}
		total += added
		if done {
			return total
		}
	}
	t.Fatal("fan-out never finished")
	return 0
}

func TestFanoutReachesTheRightRecipientsOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		want := map[string]bool{}
		for i := range 23 {
			s := addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: fmt.Sprintf("p%02d@example.org", i)})
			want[s.Address] = true
		}
		// Not told: another category, outside the area, unsubscribed.
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: "health@example.org",
			Categories: []catalog.Category{catalog.PublicHealth}})
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.SMS, Address: "+85290000001",
			Area: subscriber.Area{Point: &subscriber.Point{Lat: 40, Lon: 116}}})
		gone := addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: "gone@example.org"})
		if _, err := o.st.Subscribers().Unsubscribe(ctx, gone.Token); err != nil {
			t.Fatal(err)
		}
		// Told: their category, inside the polygon, their district.
		for _, s := range []subscriber.Subscriber{
			{Channel: channel.SMS, Address: "+85290000002", Categories: []catalog.Category{catalog.NaturalDisaster}},
			{Channel: channel.SMS, Address: "+85290000003", Area: subscriber.Area{Point: &subscriber.Point{Lat: 22.55, Lon: 114.1}}},
			{Channel: channel.Webhook, Address: "http://10.1.2.3/hook", Area: subscriber.Area{District: "harbour district"}},
		} {
			want[addSubscriber(t, o, s).Address] = true
		}
		if _, err := o.st.Subscribers().Create(ctx, o.users[authz.Editor], subscriber.Subscriber{Channel: channel.Email, Address: "x@example.org", Language: "en"}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an editor adding a subscriber: %v", err)
		}
		if _, err := o.st.Endpoints().Register(ctx, o.users[authz.Observer], subscriber.Endpoint{Name: "x", URL: "http://x.example/"}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an observer registering a webhook: %v", err)
		}
		ep, err := o.st.Endpoints().Register(ctx, o.users[authz.Admin], subscriber.Endpoint{Name: "Radio", URL: "http://radio.example/hook",
			Secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", Audiences: []string{"public"}})
		if err != nil {
			t.Fatal(err)
		}
		want[ep.URL] = true

		n := publish(t, o, publicNotice(0))
		d := o.st.Deliveries()
		if got := walk(t, d, n.ID, 7); got != len(want) {
			t.Fatalf("fan-out added %d, want %d", got, len(want))
		}
		// A repeated walk (a crash before the checkpoint was saved) adds
		// nothing.
		if _, err := o.st.Writer().ExecContext(ctx, `UPDATE fanouts SET done = FALSE, stage = 'staff', last_id = 0 WHERE notice_id = $1`, n.ID); err != nil {
			t.Fatal(err)
		}
		if got := walk(t, d, n.ID, 5); got != 0 {
			t.Fatalf("a repeated fan-out added %d", got)
		}
		rows, err := o.st.Writer().QueryContext(ctx, `SELECT address, state FROM deliveries WHERE notice_id = $1`, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		got := map[string]bool{}
		for rows.Next() {
			var addr, state string
			if err := rows.Scan(&addr, &state); err != nil {
				t.Fatal(err)
			}
			if got[addr] || !want[addr] || state != string(delivery.Queued) {
				t.Errorf("delivery to %s (%s): duplicate or unwanted", addr, state)
			}
			got[addr] = true
		}
		if len(got) != len(want) {
			t.Fatalf("reached %d, want %d", len(got), len(want))
		}
		prog, err := d.Progress(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, p := range prog {
			total += p.Queued
		}
		if total != len(want) || len(prog) != 3 {
			t.Fatalf("progress %+v", prog)
		}
	})
}

func TestExerciseAndInternalNotices(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: "public@example.org"})
		c, _ := activeCrisis(t, o, true)
		ex := publish(t, o, publicNotice(c.ID))
		if got := walk(t, o.st.Deliveries(), ex.ID, 100); got != 0 {
			t.Fatalf("an exercise notice reached %d public recipients", got)
		}

		in := publicNotice(c.ID) // exercises reach staff as in a real crisis
		in.Audience = notice.Internal
		in.Roles = []authz.Role{authz.Liaison, authz.Observer}
		n := publish(t, o, in)
		if got := walk(t, o.st.Deliveries(), n.ID, 100); got != 2 {
			t.Fatalf("internal notice: %d deliveries, want 2 in-app (the test users have no e-mail)", got)
		}
		d := o.st.Deliveries()
		liaison := o.users[authz.Liaison]
		box, err := d.Inbox(ctx, liaison.UserID, 10)
		if err != nil || len(box) != 1 || box[0].NoticeID != n.ID || !box[0].ReadAt.IsZero() {
			t.Fatalf("inbox %+v %v", box, err)
		}
		if err := d.MarkRead(ctx, n.ID, liaison.UserID); err != nil {
			t.Fatal(err)
		}
		rc, err := d.Receipts(ctx, n.ID)
		if err != nil || len(rc) != 2 {
			t.Fatalf("receipts %+v %v", rc, err)
		}
		read := 0
		for _, r := range rc {
			if !r.ReadAt.IsZero() {
				read++
				if r.UserID != liaison.UserID {
					t.Fatalf("read by %d", r.UserID)
				}
			}
		}
		if read != 1 {
			t.Fatalf("%d read", read)
		}
	})
}

func TestClaimsNeverOverlapAndOutcomesNeedTheLease(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		for i := range 40 {
			addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: fmt.Sprintf("c%02d@example.org", i)})
		}
		n := publish(t, o, publicNotice(0))
		d := o.st.Deliveries()
		walk(t, d, n.ID, 1000)

		// Four senders claim at once: every delivery goes to exactly one.
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					c, err := d.Claim(ctx, n.ID, channel.Email, 3, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(c.Items) == 0 {
						return
					}
					mu.Lock()
					for _, it := range c.Items {
						if prev, dup := seen[it.ID]; dup {
							t.Errorf("delivery %d claimed by %s and %s", it.ID, prev, c.Lease)
						}
						seen[it.ID] = c.Lease
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != 40 {
			t.Fatalf("claimed %d of 40", len(seen))
		}
		// The leases run out (the senders "died"): the rows come back,
		// and an outcome under the old lease changes nothing.
		o.clk.Advance(2 * time.Minute)
		c, err := d.Claim(ctx, n.ID, channel.Email, 100, time.Minute)
		if err != nil || len(c.Items) != 40 {
			t.Fatalf("reclaim: %d %v", len(c.Items), err)
		}
		var stale string
		for _, l := range seen {
			stale = l
			break
		}
		var outcomes []delivery.Outcome
		ids := make([]int64, 0, 40)
		for _, it := range c.Items {
			ids = append(ids, it.ID)
			if it.Attempts != 2 {
				t.Fatalf("attempts %d, want 2", it.Attempts)
			}
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for i, id := range ids {
			o := delivery.Outcome{ID: id, State: delivery.Sent}
			if i%10 == 0 {
				o = delivery.Outcome{ID: id, State: delivery.Failed, Error: "451 try later", Next: time.Now().Add(time.Hour)}
			}
			outcomes = append(outcomes, o)
		}
		if _, err := d.Finish(ctx, stale, outcomes); err != nil {
			t.Fatal(err)
		}
		if p, _ := d.Progress(ctx, n.ID); p[0].Sent != 0 {
			t.Fatalf("a stale lease recorded outcomes: %+v", p)
		}
		if _, err := d.Finish(ctx, c.Lease, outcomes); err != nil {
			t.Fatal(err)
		}
		p, _ := d.Progress(ctx, n.ID)
		if p[0].Sent != 36 || p[0].Failed != 4 || p[0].Queued != 0 {
			t.Fatalf("progress %+v", p)
		}
		fails, err := d.Failures(ctx, n.ID, "", 10)
		if err != nil || len(fails) != 4 || fails[0].LastError != "451 try later" {
			t.Fatalf("failures %+v %v", fails, err)
		}
		// Not due yet: nothing to claim; Pending names the retry time.
		if c, _ := d.Claim(ctx, n.ID, channel.Email, 100, time.Minute); len(c.Items) != 0 {
			t.Fatalf("claimed %d before the retry was due", len(c.Items))
		}
		next, done, err := d.Pending(ctx, n.ID, channel.Email)
		if err != nil || !done || next.IsZero() {
			t.Fatalf("pending %v %v %v", next, done, err)
		}
		// Staff retry now; an observer may not.
		if _, err := d.Retry(ctx, o.users[authz.Observer], n.ID, channel.Email); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer retry: %v", err)
		}
		if q, err := d.Retry(ctx, o.users[authz.Approver], n.ID, channel.Email); err != nil || q != 4 {
			t.Fatalf("retry %d %v", q, err)
		}
		if _, err := d.Retry(ctx, o.users[authz.Approver], n.ID, channel.Email); !fault.Is(err, fault.Conflict) {
			t.Fatalf("second retry: %v", err)
		}
		if c, _ := d.Claim(ctx, n.ID, channel.Email, 100, time.Minute); len(c.Items) != 4 {
			t.Fatalf("claimed %d after retry", len(c.Items))
		}
	})
}

func TestEndpointPausedAfterFailingADay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ep, err := o.st.Endpoints().Register(ctx, o.users[authz.Admin], subscriber.Endpoint{Name: "Partner", URL: "http://partner.example/hook",
			Secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", Audiences: []string{"public"}})
		if err != nil {
			t.Fatal(err)
		}
		d := o.st.Deliveries()
		fail := func() []subscriber.Endpoint {
			t.Helper()
			n := publish(t, o, publicNotice(0))
			walk(t, d, n.ID, 100)
			c, err := d.Claim(ctx, n.ID, channel.Webhook, 10, time.Minute)
			if err != nil || len(c.Items) != 1 {
				t.Fatalf("claim %d %v", len(c.Items), err)
			}
			paused, err := d.Finish(ctx, c.Lease, []delivery.Outcome{{ID: c.Items[0].ID, State: delivery.Failed, Error: "503", Endpoint: ep.ID}})
			if err != nil {
				t.Fatal(err)
			}
			return paused
		}
		if p := fail(); len(p) != 0 {
			t.Fatal("paused after one failure")
		}
		o.clk.Advance(23 * time.Hour)
		if p := fail(); len(p) != 0 {
			t.Fatal("paused after 23 hours")
		}
		o.clk.Advance(time.Hour)
		p := fail()
		if len(p) != 1 || p[0].Status != subscriber.EndpointPaused || p[0].PausedReason == "" {
			t.Fatalf("not paused after 24 hours: %+v", p)
		}
		// A paused endpoint is not in the next fan-out.
		n := publish(t, o, publicNotice(0))
		if got := walk(t, d, n.ID, 100); got != 0 {
			t.Fatalf("paused endpoint got %d deliveries", got)
		}
	})
}

func TestStalledWorkIsRestarted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		n := publish(t, o, publicNotice(0))
		d := o.st.Deliveries()
		// A level II alert's delivery jobs go ahead of routine work.
		var lo, hi int
		if err := o.st.Writer().QueryRowContext(ctx, `SELECT MIN(priority), MAX(priority) FROM river_job
			WHERE kind IN ('delivery_fanout', 'delivery_send')`).Scan(&lo, &hi); err != nil {
			t.Fatal(err)
		}
		if lo != 2 || hi != 2 {
			t.Fatalf("delivery job priorities %d..%d, want 2 for a level II alert", lo, hi)
		}
		if runs, err := d.RestartStalled(ctx, time.Minute); err != nil || len(runs) != 0 {
			t.Fatalf("fresh work restarted: %v %v", runs, err)
		}
		o.clk.Advance(2 * time.Minute)
		runs, err := d.RestartStalled(ctx, time.Minute)
		if err != nil || len(runs) != 4 { // the fan-out and three channels
			t.Fatalf("restarted %+v %v", runs, err)
		}
		if runs, _ := d.RestartStalled(ctx, time.Minute); len(runs) != 0 {
			t.Fatalf("restarted twice: %+v", runs)
		}
		var jobs int
		if err := o.st.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind IN ('delivery_fanout', 'delivery_send')`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		if want := 1 + 3*delivery.SendersPerChannel + 4; jobs != want {
			t.Fatalf("%d delivery jobs, want %d for notice %d", jobs, want, n.ID)
		}
	})
}

func TestExtendKeepsALiveClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		for i := range 6 {
			addSubscriber(t, o, subscriber.Subscriber{Channel: channel.Email, Address: fmt.Sprintf("x%d@example.org", i)})
		}
		n := publish(t, o, publicNotice(0))
		d := o.st.Deliveries()
		walk(t, d, n.ID, 1000)
		c, err := d.Claim(ctx, n.ID, channel.Email, 4, time.Minute)
		if err != nil || len(c.Items) != 4 {
			t.Fatalf("claim: %d %v", len(c.Items), err)
		}
		lo, hi := c.Items[0].ID, c.Items[3].ID
		// One outcome is in; the others are still being sent when the
		// working sender renews its lease, just before it would run out.
		if _, err := d.Finish(ctx, c.Lease, []delivery.Outcome{{ID: c.Items[0].ID, State: delivery.Sent}}); err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(50 * time.Second)
		if err := d.Extend(ctx, n.ID, channel.Email, c.Lease, lo, hi, time.Minute); err != nil {
			t.Fatal(err)
		}
		// A stranger's lease renews nothing.
		if err := d.Extend(ctx, n.ID, channel.Email, "someone-else", lo, hi, time.Hour); err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(30 * time.Second) // past the first lease, inside the renewed one
		other, err := d.Claim(ctx, n.ID, channel.Email, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(other.Items) != 2 {
			t.Fatalf("another sender claimed %d, want only the 2 never claimed", len(other.Items))
		}
		for _, it := range other.Items {
			if it.ID >= lo && it.ID <= hi {
				t.Fatalf("delivery %d of the live claim was taken over", it.ID)
			}
		}
		// The run's heartbeat follows the renewal: the sweeper leaves it.
		runs, err := d.RestartStalled(ctx, 45*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.Channel == channel.Email {
				t.Fatalf("the live e-mail run was restarted: %+v", runs)
			}
		}
		// Once the senders are gone, their leases run out and the rows
		// return.
		o.clk.Advance(2 * time.Minute)
		back, err := d.Claim(ctx, n.ID, channel.Email, 100, time.Minute)
		if err != nil || len(back.Items) != 3+2 {
			t.Fatalf("after the lease ran out: %d %v", len(back.Items), err)
		}
	})
}
