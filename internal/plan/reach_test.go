package plan

import "testing"

func TestMetByNotice(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, rowAudience string
		channels          []string
		audience          string
		roles, deps       bool
		want              bool
	}{
		{"public on the site and by SMS", "public", []string{"web", "sms"}, "public", false, false, true},
		{"public spelt otherwise", "public", []string{"Website", "E-mail"}, "public", false, false, true},
		{"public row, media notice", "public", []string{"web"}, "media", false, false, false},
		{"public row, internal notice", "public", []string{"email"}, "internal", true, true, false},
		{"public row by phone", "public", []string{"web", "phone"}, "public", false, false, false},
		{"media by webhook", "media", []string{"webhook"}, "media", false, false, true},
		{"media by e-mail: no notice sends that", "media", []string{"email"}, "media", false, false, false},
		{"departments reached", "departments", []string{"email"}, "internal", false, true, true},
		{"departments row, notice to roles only", "departments", []string{"email"}, "internal", true, false, false},
		{"team reached in the app", "team", []string{"app"}, "internal", true, false, true},
		{"team row, notice to departments only", "team", []string{"app"}, "internal", false, true, false},
		{"team row by SMS: internal notices send none", "team", []string{"sms"}, "internal", true, false, false},
		{"experts: no notice reaches them", "experts", []string{"email"}, "internal", true, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := CommRow{Audience: c.rowAudience, Channels: c.channels}
			if got := r.MetByNotice(c.audience, c.roles, c.deps); got != c.want {
				t.Fatalf("MetByNotice(%s, roles %v, departments %v) = %v, want %v", c.audience, c.roles, c.deps, got, c.want)
			}
		})
	}
}
