package api_test

import (
	"context"
	"strings"
	"testing"

	"crisisdesk/internal/api"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
)

// New refuses to build an API without any one of its services, naming
// it: no operation has a branch for a service that is not there.
func TestNewNamesAMissingService(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{NoStart: true})
	st := e.Store
	chinese, err := hanzi.New("")
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	full := func() api.Options {
		return api.Options{Accounts: st.Accounts(), Office: st.Office(), Audit: st.Audit(), Sessions: &session.Manager{Accounts: st.Accounts()},
			Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Chinese: chinese, Live: e.App.Live, Catalog: catalog,
			Signup: subscriber.Signup{Service: st.Subscribers(), NewSecret: webhook.NewSecret,
				CheckURL: func(context.Context, string, bool) error { return nil }},
			Endpoints: st.Endpoints(), Deliveries: st.Deliveries(), ParseSecret: webhook.ParseSecret,
			CanSend: func(string) bool { return true },
			// Wave 2: one line per area.
			Drills: st.Drills(), Experts: st.Experts(),
			Actions:  st.Actions(),
			Feedback: st.Feedback(),
			Rumours:  st.Rumours(), Surveys: st.Surveys(),
			Team: st.Team(),
		}
	}
	if _, err := api.New(full()); err != nil {
		t.Fatalf("with every service: %v", err)
	}
	cases := []struct {
		name string
		drop func(*api.Options)
	}{
		{"Accounts", func(o *api.Options) { o.Accounts = nil }},
		{"Rumours", func(o *api.Options) { o.Rumours = nil }},
		{"Surveys", func(o *api.Options) { o.Surveys = nil }},
		{"Audit", func(o *api.Options) { o.Audit = nil }},
		{"Office", func(o *api.Options) { o.Office = nil }},
		{"Sessions", func(o *api.Options) { o.Sessions = nil }},
		{"Plans", func(o *api.Options) { o.Plans = nil }},
		{"Crises", func(o *api.Options) { o.Crises = nil }},
		{"Catalog", func(o *api.Options) { o.Catalog = nil }},
		{"Notices", func(o *api.Options) { o.Notices = nil }},
		{"Drills", func(o *api.Options) { o.Drills = nil }},
		{"Experts", func(o *api.Options) { o.Experts = nil }},
		{"Actions", func(o *api.Options) { o.Actions = nil }},
		{"Team", func(o *api.Options) { o.Team = nil }},
		{"Chinese", func(o *api.Options) { o.Chinese = nil }},
		{"Live", func(o *api.Options) { o.Live = nil }},
		{"Signup.Service", func(o *api.Options) { o.Signup.Service = nil }},
		{"Signup.CheckURL", func(o *api.Options) { o.Signup.CheckURL = nil }},
		{"Signup.NewSecret", func(o *api.Options) { o.Signup.NewSecret = nil }},
		{"Endpoints", func(o *api.Options) { o.Endpoints = nil }},
		{"CanSend", func(o *api.Options) { o.CanSend = nil }},
		{"Feedback", func(o *api.Options) { o.Feedback = nil }},
		{"Deliveries", func(o *api.Options) { o.Deliveries = nil }},
		{"ParseSecret", func(o *api.Options) { o.ParseSecret = nil }},
	}
	for _, c := range cases {
		o := full()
		c.drop(&o)
		if _, err := api.New(o); err == nil || !strings.Contains(err.Error(), c.name+" is required") {
			t.Errorf("without %s: %v", c.name, err)
		}
	}
}
