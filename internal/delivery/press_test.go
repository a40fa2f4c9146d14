package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestPressReleaseReachesChosenJournalists publishes a notice for the
// media: each journalist chosen for it gets it once by e-mail through a
// real SMTP server, in their language; one not chosen gets nothing, and
// one who gave no consent cannot be chosen.
func TestPressReleaseReachesChosenJournalists(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		r := newRig(t, engine)
		ps := r.st.Press()
		var ids []int64
		for _, j := range []press.Journalist{
			{Name: "Chan Mei-ling", Outlet: "Harbour Daily", Language: "zh-Hant", Email: "mei@harbour.example"},
			{Name: "Sarah Mitchell", Outlet: "Coastal Post", Language: "en", Email: "sarah@coastal.example"},
			{Name: "Not chosen", Outlet: "Radio", Language: "en", Email: "radio@radio.example"},
			{Name: "No consent", Outlet: "City TV", Language: "en", Email: "tv@city.example"},
		} {
			j.Channels, j.Active, j.Consent = []string{"email"}, true, j.Name != "No consent"
			out, err := ps.AddJournalist(ctx, r.ed, j)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, out.ID)
		}
		ns := r.st.Notices()
		n, err := ns.Create(ctx, r.ed, notice.Notice{Kind: notice.Alert, Audience: notice.Media,
			Contents: []notice.Content{
				{Language: "zh-Hant", Headline: "新聞稿：颱風最新情況", Body: "記者會今晚八時舉行。"},
				{Language: "en", Headline: "Press release: typhoon update", Body: "Press conference at 20:00."},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.SetReleaseRecipients(ctx, r.ed, n.ID, []int64{ids[0], ids[3]}); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("a journalist without consent chosen: %v", err)
		}
		if err := ps.SetReleaseRecipients(ctx, r.ed, n.ID, []int64{ids[0], ids[1], ids[1]}); err != nil {
			t.Fatal(err)
		}
		if got, err := ps.ReleaseRecipients(ctx, n.ID); err != nil || len(got) != 2 {
			t.Fatalf("recipients %v %v", got, err)
		}
		if _, err = ns.Submit(ctx, r.ed, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err = ns.Approve(ctx, r.ap, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, err = ns.Publish(ctx, r.ap, n.ID); err != nil {
			t.Fatal(err)
		}
		if err := ps.SetReleaseRecipients(ctx, r.ed, n.ID, ids[:1]); !fault.Is(err, fault.Conflict) {
			t.Fatalf("recipients changed after publishing: %v", err)
		}
		r.drain(t, n.ID)
		r.drain(t, n.ID) // a second pass sends nothing again
		p := progress(t, r.st, n.ID)
		if p[channel.Email].Sent != 2 || p[channel.Email].Total() != 2 {
			t.Fatalf("progress %+v", p)
		}
		mails := r.inbox.WaitFor(2, 10*time.Second)
		byTo := map[string]string{}
		for _, m := range mails {
			byTo[m.To[0]] = readMail(t, m).subject
		}
		if len(mails) != 2 || !strings.Contains(byTo["mei@harbour.example"], "颱風最新情況") || !strings.Contains(byTo["sarah@coastal.example"], "typhoon update") {
			t.Fatalf("mails %v", byTo)
		}
	})
}
