package plan

import "testing"

func TestMetByNotice(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, rowAudience string
		channels          []string
		audience          string
		roles, deps, exps bool
		want              bool
	}{
		{"public on the site and by SMS", "public", []string{"web", "sms"}, "public", false, false, false, true},
		{"public spelt otherwise", "public", []string{"Website", "E-mail"}, "public", false, false, false, true},
		{"public row, media notice", "public", []string{"web"}, "media", false, false, false, false},
		{"public row, internal notice", "public", []string{"email"}, "internal", true, true, false, false},
		{"public row by phone", "public", []string{"web", "phone"}, "public", false, false, false, false},
		{"media by webhook", "media", []string{"webhook"}, "media", false, false, false, true},
		{"media by e-mail: no notice sends that", "media", []string{"email"}, "media", false, false, false, false},
		{"departments reached", "departments", []string{"email"}, "internal", false, true, false, true},
		{"departments row, notice to roles only", "departments", []string{"email"}, "internal", true, false, false, false},
		{"team reached in the app", "team", []string{"app"}, "internal", true, false, false, true},
		{"team row, notice to departments only", "team", []string{"app"}, "internal", false, true, false, false},
		{"team row by SMS: internal notices send none", "team", []string{"sms"}, "internal", true, false, false, false},
		{"experts: a notice not addressed to them", "experts", []string{"email"}, "internal", true, true, false, false},
		{"experts by e-mail and SMS", "experts", []string{"email", "SMS"}, "internal", false, false, true, true},
		{"experts in the app: they have no account", "experts", []string{"app"}, "internal", false, false, true, false},
		{"team row, notice to experts only", "team", []string{"email"}, "internal", false, false, true, false},
		{"experts row, public notice", "experts", []string{"email"}, "public", false, false, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := CommRow{Audience: c.rowAudience, Channels: c.channels}
			if got := r.MetByNotice(c.audience, c.roles, c.deps, c.exps); got != c.want {
				t.Fatalf("MetByNotice(%s, roles %v, departments %v, experts %v) = %v, want %v", c.audience, c.roles, c.deps, c.exps, got, c.want)
			}
		})
	}
}
