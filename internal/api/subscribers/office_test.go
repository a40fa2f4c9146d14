package subscribers_test

import (
	"context"
	"net/http"
	"testing"

	"crisisdesk/internal/api/subscribers"
	"crisisdesk/internal/app/apptest"
)

// With the office's country code a local mobile number is accepted, and
// a district code of the office's list is kept with its names.
func TestPublicSubscribeLocalNumberAndDistrict(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	ctx := context.Background()
	if w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, `{"channel":"sms","address":"9123 4567"}`); w.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a local number without a country code: %d %s", w.Status, w.Body)
	}
	p, err := e.Store.Office().Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.CountryCode = "852"
	if _, err := e.Store.Office().Save(ctx, apptest.CLI, p); err != nil {
		t.Fatal(err)
	}
	w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, `{"channel":"sms","address":"9123 4567","district":"wan-chai"}`)
	if w.Status != http.StatusAccepted {
		t.Fatalf("%d %s", w.Status, w.Body)
	}
	if got := apptest.Decode[subscribers.SubscriptionAccepted](t, w); got.Address != "+85291234567" {
		t.Errorf("address %q", got.Address)
	}
	if s := e.SubscriberAt("sms", "+85291234567"); s.Area.District != "wan-chai|灣仔區|湾仔区|Wan Chai" {
		t.Errorf("district %q", s.Area.District)
	}
}
