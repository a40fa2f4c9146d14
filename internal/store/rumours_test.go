package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestRumourRegister(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		rs := o.st.Rumours()
		c, _ := activeCrisis(t, o, false)
		ed, ob := o.users[authz.Editor], o.users[authz.Observer]
		seen := o.clk.Now().Add(-2 * time.Hour)

		for _, tc := range []struct {
			name  string
			in    rumour.Input
			field string
		}{
			{"empty claim", rumour.Input{FirstSeen: seen}, "claim"},
			{"huge claim", rumour.Input{Claim: strings.Repeat("x", 20000), FirstSeen: seen}, "claim"},
			{"future", rumour.Input{Claim: "x", FirstSeen: o.clk.Now().Add(time.Hour)}, "first_seen"},
			{"bad verdict", rumour.Input{Claim: "x", FirstSeen: seen, Verdict: "maybe"}, "verdict"},
			{"no crisis", rumour.Input{Claim: "x", FirstSeen: seen, CrisisID: 99999}, "crisis_id"},
			{"no owner", rumour.Input{Claim: "x", FirstSeen: seen, OwnerID: 99999}, "owner_id"},
		} {
			if _, err := rs.Create(ctx, ed, tc.in); !hasField(fault.FieldsOf(err), tc.field) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := rs.Create(ctx, ob, rumour.Input{Claim: "x", FirstSeen: seen}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer: %v", err)
		}
		r, err := rs.Create(ctx, ed, rumour.Input{CrisisID: c.ID, Claim: "The reservoir dam has burst", FirstSeen: seen,
			Spread: rumour.High, OwnerID: ed.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != rumour.Unverified || r.Clarified() || r.AuthorID != ed.UserID {
			t.Fatalf("created %+v", r)
		}

		// Sightings: bad ones refused; a screenshot is kept; an earlier one moves first seen back.
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
		for _, tc := range []struct {
			name  string
			s     rumour.Sighting
			img   *rumour.Image
			field string
		}{
			{"nothing", rumour.Sighting{SeenAt: seen}, nil, "url"},
			{"script link", rumour.Sighting{SeenAt: seen, URL: "javascript:alert(1)"}, nil, "url"},
			{"big image", rumour.Sighting{SeenAt: seen}, &rumour.Image{Type: "image/png", Data: make([]byte, rumour.MaxImage+1)}, "image"},
			{"not an image", rumour.Sighting{SeenAt: seen}, &rumour.Image{Type: "text/html", Data: []byte("<script>")}, "image"},
		} {
			if _, err := rs.AddSighting(ctx, ed, r.ID, tc.s, tc.img); !hasField(fault.FieldsOf(err), tc.field) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		earlier := seen.Add(-time.Hour)
		s, err := rs.AddSighting(ctx, ed, r.ID, rumour.Sighting{SeenAt: earlier, Place: "Chat group", URL: "https://example.org/p/1"},
			&rumour.Image{Name: "shot.png", Type: "image/png", Data: png})
		if err != nil {
			t.Fatal(err)
		}
		got, data, err := rs.Image(ctx, s.ID)
		if err != nil || !bytes.Equal(data, png) || got.ImageType != "image/png" {
			t.Fatalf("image: %v %d", err, len(data))
		}
		if r, err = rs.Get(ctx, r.ID); err != nil || len(r.Sightings) != 1 || !r.FirstSeen.Equal(earlier) {
			t.Fatalf("after sighting: %v %+v", err, r)
		}

		// Answering needs the facts; a stale save is refused.
		if _, _, err := rs.Answer(ctx, ed, r.ID, nil); !hasField(fault.FieldsOf(err), "facts") {
			t.Fatalf("answer without facts: %v", err)
		}
		in := r.Input()
		in.Verdict, in.Facts = rumour.False, "The dam is intact; engineers inspected it at 09:00."
		if _, err := rs.Save(ctx, ed, r.ID, r.Lock+5, in); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		if r, err = rs.Save(ctx, ed, r.ID, r.Lock, in); err != nil {
			t.Fatal(err)
		}
		contents := rumour.Prefill(r, []string{"zh-Hant", "en"}, func(lang, key string, args ...any) string {
			return "[" + lang + "] " + key
		})
		r, n, err := rs.Answer(ctx, ed, r.ID, contents)
		if err != nil {
			t.Fatal(err)
		}
		if n.Status != notice.Draft || n.CrisisID != c.ID || n.Audience != notice.Public || r.NoticeID != n.ID || len(n.Contents) != 2 {
			t.Fatalf("answer: %+v %+v", r, n)
		}
		if _, _, err := rs.Answer(ctx, ed, r.ID, contents); !fault.Is(err, fault.Conflict) {
			t.Fatalf("answered twice: %v", err)
		}
		if list, err := rs.Clarifications(ctx, 10); err != nil || len(list) != 0 {
			t.Fatalf("clarifications before publishing: %v %v", err, list)
		}

		// The notice goes through the normal path; publishing it clarifies the rumour.
		ns, ap := o.st.Notices(), o.users[authz.Approver]
		if _, err := ns.Submit(ctx, ed, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := ns.Approve(ctx, ap, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(30 * time.Minute)
		if _, err := ns.Publish(ctx, ap, n.ID); err != nil {
			t.Fatal(err)
		}
		if r, err = rs.Get(ctx, r.ID); err != nil || !r.Clarified() || r.TimeToClarify() != 3*time.Hour+30*time.Minute {
			t.Fatalf("clarified: %v %+v %s", err, r, r.TimeToClarify())
		}
		if by, err := rs.ByNotice(ctx, n.ID); err != nil || by.ID != r.ID {
			t.Fatalf("by notice: %v %+v", err, by)
		}
		list, err := rs.Clarifications(ctx, 10)
		if err != nil || len(list) != 1 || list[0].NoticeID != n.ID || list[0].Verdict != rumour.False {
			t.Fatalf("clarifications: %v %+v", err, list)
		}
		open, total, err := rs.List(ctx, rumour.Filter{Open: true})
		if err != nil || total != 0 || len(open) != 0 {
			t.Fatalf("open rumours: %v %d", err, total)
		}
		all, total, err := rs.List(ctx, rumour.Filter{CrisisID: c.ID, Verdict: rumour.False})
		if err != nil || total != 1 || all[0].ID != r.ID {
			t.Fatalf("list: %v %d", err, total)
		}
		if _, err := rs.Get(ctx, 99999); !fault.Is(err, fault.NotFound) {
			t.Fatalf("missing: %v", err)
		}
	})
}
