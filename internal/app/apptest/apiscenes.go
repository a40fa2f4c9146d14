package apptest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/delivery"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// The scenes API tests of several areas set up through the API itself: a
// crisis type's id, an approved plan, a declared crisis, a notice body, a
// published notice.

// TypeID returns the id of the catalogue's crisis type with code.
func (s *Staff) TypeID(code string) int64 {
	s.T.Helper()
	got := Decode[struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}](s.T, s.Call("observer", "GET", "/api/v1/crisis-types?limit=200", "", http.StatusOK))
	for _, ct := range got.Items {
		if ct.Code == code {
			return ct.ID
		}
	}
	s.T.Fatalf("apptest: no crisis type %q in %+v", code, got.Items)
	return 0
}

// PlanJSON is a plan request body; steps and templates, when not empty,
// replace the two steps (w1: the commander's, r2: the liaison's) and the
// one template, to make it wrong.
func PlanJSON(code string, typeID int64, steps, templates string) string {
	if steps == "" {
		steps = `[{"phase":"warning","title":"Open the operations centre","levels":["I","II"],"owner_role":"commander","deadline":"30m","checklist":["Keys","Radios"]},
			{"phase":"response","title":"Brief the press","levels":["II"],"owner_role":"liaison","deadline":"2h"}]`
	}
	if templates == "" {
		templates = `[{"level":"II","audience":"public","language":"en","headline":"Typhoon near {{location}}","body":"Since {{occurred_at}}."}]`
	}
	return fmt.Sprintf(`{"code":%q,"type_id":%d,"title":"Typhoon response","body":{"scope":"All districts",
		"activation":{"I":"Signal 10","II":"Signal 8"},"steps":%s,"templates":%s,
		"matrix":[{"level":"II","audience":"public","content":"Situation update","channels":["web"],"cadence":"60m"}],
		"contacts":[{"name":"Duty officer","role":"commander","phone":"+852 0000 0000"}],
		"resources":[{"name":"Sandbags","quantity":"500"}],"first_notice_due":"45m"}}`, code, typeID, steps, templates)
}

// idOf is the id in a JSON answer.
func (s *Staff) idOf(res Response) int64 {
	s.T.Helper()
	return Decode[struct {
		ID int64 `json:"id"`
	}](s.T, res).ID
}

// ApprovedPlan drafts, submits, reviews and approves a plan of PlanJSON,
// each signature by a different person, and returns its id.
func (s *Staff) ApprovedPlan(code string, typeID int64) int64 {
	s.T.Helper()
	id := s.idOf(s.Call("editor", "POST", "/api/v1/plans", PlanJSON(code, typeID, "", ""), http.StatusCreated))
	path := fmt.Sprintf("/api/v1/plans/%d", id)
	s.Call("editor", "POST", path+"/submit", `{}`, http.StatusOK)
	s.Call("reviewer", "POST", path+"/review", `{}`, http.StatusOK)
	s.Call("approver", "POST", path+"/approve", `{}`, http.StatusOK)
	return id
}

// DeclareJSON is the body that declares an exercise of the type, at
// level, ten minutes ago: its first-notice clock (from the occurrence)
// is still running.
func DeclareJSON(typeID int64, level string) string {
	return fmt.Sprintf(`{"title":"Typhoon Mawar","type_id":%d,"level":%q,"exercise":true,"location":"Central",
		"area":"Hong Kong Island","summary":"Signal 8","occurred_at":%q}`,
		typeID, level, time.Now().Add(-10*time.Minute).UTC().Format(time.RFC3339))
}

// CrisisWithPlan declares a typhoon exercise at level II and activates an
// approved plan for it; it returns the crisis's and the plan's ids.
func (s *Staff) CrisisWithPlan() (crisisID, planID int64) {
	s.T.Helper()
	typhoon := s.TypeID("typhoon")
	planID = s.ApprovedPlan("typhoon-main", typhoon)
	crisisID = s.idOf(s.Call("commander", "POST", "/api/v1/crises", DeclareJSON(typhoon, "II"), http.StatusCreated))
	s.Call("commander", "POST", fmt.Sprintf("/api/v1/crises/%d/activate", crisisID), fmt.Sprintf(`{"plan_id":%d}`, planID), http.StatusOK)
	return crisisID, planID
}

// NoticeJSON is a valid body that drafts a public alert for crisis id (0
// for none), with its text changed by the replacements (old, new, old,
// new …).
func NoticeJSON(crisisID int64, replace ...string) string {
	b := fmt.Sprintf(`{"crisis_id": %d, "kind": "alert", "audience": "public",
 "content": {"zh-Hant": {"headline": "颱風警告", "body": "請留在室內。"}, "en": {"headline": "Typhoon warning", "body": "Stay indoors.", "contact": "1823"}},
 "cap": {"event": "Typhoon", "category": "Met", "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
   "effective": "2026-07-01T08:00:00Z", "expires": "2026-07-01T20:00:00Z",
   "area": {"description": "Harbour", "polygons": ["22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"],
     "circles": ["22.3,114.2 5"], "geocodes": [{"name": "district", "value": "Wan Chai"}]}}}`, crisisID)
	return strings.NewReplacer(replace...).Replace(b)
}

// Published drafts, approves and publishes the notice body through the
// API, runs its fan-out as the delivery job would, and returns its id.
// Start the app with NoStart, so that the job runner does not race it.
func (s *Staff) Published(body string) int64 {
	s.T.Helper()
	id := s.idOf(s.Call("editor", "POST", "/api/v1/notices", body, http.StatusCreated))
	path := fmt.Sprintf("/api/v1/notices/%d", id)
	s.Call("editor", "POST", path+"/submit", `{}`, http.StatusOK)
	s.Call("approver", "POST", path+"/approve", `{}`, http.StatusOK)
	s.Call("approver", "POST", path+"/publish", "", http.StatusOK)
	for range 100 {
		_, done, err := s.Store.Deliveries().FanoutBatch(context.Background(), id, 50)
		if err != nil {
			s.T.Fatal(err)
		}
		if done {
			return id
		}
	}
	s.T.Fatal("apptest: the fan-out never finished")
	return id
}

// SendAll claims a channel's deliveries of a notice and records the
// outcome answer gives each, as a sender does after trying them.
func (s *Staff) SendAll(noticeID int64, ch string, answer func(delivery.Delivery) delivery.Outcome) {
	s.T.Helper()
	ctx := context.Background()
	c, err := s.Store.Deliveries().Claim(ctx, noticeID, ch, 100, time.Minute)
	if err != nil || len(c.Items) == 0 {
		s.T.Fatalf("apptest: claim %s: %v, %d items", ch, err, len(c.Items))
	}
	var outs []delivery.Outcome
	for _, it := range c.Items {
		o := answer(it.Delivery)
		o.ID = it.ID
		if it.RecipientKind == delivery.ToEndpoint {
			o.Endpoint = it.RecipientID
		}
		outs = append(outs, o)
	}
	if _, err := s.Store.Deliveries().Finish(ctx, c.Lease, outs); err != nil {
		s.T.Fatal(err)
	}
}

// SubscriberAt finds the stored subscriber of an address.
func (s *Staff) SubscriberAt(ch, address string) subscriber.Subscriber {
	s.T.Helper()
	subs, _, err := s.Store.Subscribers().List(context.Background(), subscriber.Filter{Channel: ch, Query: address})
	if err != nil || len(subs) != 1 {
		s.T.Fatalf("apptest: subscriber %s %s: %v %+v", ch, address, err, subs)
	}
	return subs[0]
}

// Confirmations returns the secrets of the confirmation messages queued
// for a subscriber, oldest first.
func (s *Staff) Confirmations(id int64) []string {
	s.T.Helper()
	return storetest.Confirmations(s.T, s.Store, id)
}
