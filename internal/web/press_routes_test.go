package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/resource"
)

// pressAndResourceIDs makes a journalist, an inquiry on the world's
// crisis and an inventory item, and returns what fills in their {id}s
// for the route walk.
func pressAndResourceIDs(t *testing.T, e *apptest.Env, w apptest.World) func(string) string {
	t.Helper()
	ctx := t.Context()
	j, err := e.Store.Press().AddJournalist(ctx, apptest.As(w.Editor), press.Journalist{Name: "Wong Mei", Outlet: "Harbour Daily",
		Language: "zh-Hant", Email: "mei@harbour.example", Channels: []string{"email"}, Consent: true, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	q, err := e.Store.Press().LogInquiry(ctx, apptest.As(w.Editor), press.Inquiry{CrisisID: w.Crisis.ID, JournalistID: j.ID,
		Channel: "phone", Question: "Are schools closed?", ReceivedAt: now, OwnerID: w.Editor.ID, ReplyBy: now.Add(press.DefaultReplyWithin)})
	if err != nil {
		t.Fatal(err)
	}
	it, err := e.Store.Resources().AddItem(ctx, apptest.As(w.Commander), resource.Item{Name: "Sandbags", Category: "flood", Unit: "bags",
		Quantity: 100, Minimum: 50, Location: "Depot A"})
	if err != nil {
		t.Fatal(err)
	}
	sample := apptest.SampleNotice(w.Crisis.ID)
	sample.Audience = notice.Media
	release, err := e.Store.Notices().Create(ctx, apptest.As(w.Editor), sample)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := e.Store.Press().AddConference(ctx, apptest.As(w.Editor), press.Conference{Title: "Typhoon briefing", CrisisID: w.Crisis.ID,
		StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour), Venue: "Press room", Speakers: []string{"Director Chan"}, Invited: []int64{j.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return func(p string) string {
		p = strings.Replace(p, "/desk/media/conferences/{id}", fmt.Sprintf("/desk/media/conferences/%d", conf.ID), 1)
		p = strings.Replace(p, "/desk/media/releases/{id}", fmt.Sprintf("/desk/media/releases/%d", release.ID), 1)
		p = strings.Replace(p, "/desk/media/journalists/{id}", fmt.Sprintf("/desk/media/journalists/%d", j.ID), 1)
		p = strings.Replace(p, "/desk/media/inquiries/{id}", fmt.Sprintf("/desk/media/inquiries/%d", q.ID), 1)
		return strings.Replace(p, "/desk/resources/items/{id}", fmt.Sprintf("/desk/resources/items/%d", it.ID), 1)
	}
}
