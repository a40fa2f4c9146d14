package store_test

import (
	"bytes"
	"context"
	"testing"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	officep "crisisdesk/internal/office"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

// The office profile starts empty, saves with its logo and version, is
// audited without the logo's bytes, refuses a stale version, a bad field
// and anyone but an admin, and leaves nothing half-saved.
func TestOfficeProfile(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		svc := st.Office()
		admin := mustUser(t, st, "officeadmin", authz.Admin).Actor(authz.SourceUI)
		editor := mustUser(t, st, "officeeditor", authz.Editor).Actor(authz.SourceUI)

		p, err := svc.Profile(ctx)
		if err != nil || p.Version != 0 || !p.Name.Empty() || len(p.DistrictList()) != 18 {
			t.Fatalf("fresh profile %+v, %v", p, err)
		}
		p.Name = catalog.Text{ZhHant: " 保安局 ", En: "Security Bureau"}
		p.Logo = tinyPNG
		p.CountryCode = "+852"
		saved, err := svc.Save(ctx, admin, p)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 1 || saved.Name.ZhHant != "保安局" || saved.LogoType != "image/png" || saved.CountryCode != "852" ||
			!bytes.Equal(saved.Logo, tinyPNG) {
			t.Fatalf("saved %+v", saved)
		}
		got, err := svc.Profile(ctx)
		if err != nil || got.Version != 1 || got.Name.En != "Security Bureau" || !bytes.Equal(got.Logo, tinyPNG) {
			t.Fatalf("read back %+v, %v", got, err)
		}

		cases := []struct {
			name  string
			actor authz.Actor
			edit  func(*officep.Profile)
			code  fault.Code
			field string
		}{
			{"editor", editor, func(*officep.Profile) {}, fault.Forbidden, ""},
			{"stale", admin, func(p *officep.Profile) { p.Version = 0 }, fault.Conflict, ""},
			{"not an image", admin, func(p *officep.Profile) { p.Logo = []byte("<svg></svg>") }, fault.Invalid, "logo"},
			{"too big", admin, func(p *officep.Profile) {
				p.Logo = append(append([]byte{}, tinyPNG...), make([]byte, officep.MaxLogo)...)
			}, fault.Invalid, "logo"},
			{"country code", admin, func(p *officep.Profile) { p.CountryCode = "999" }, fault.Invalid, "country_code"},
			{"url", admin, func(p *officep.Profile) { p.PublicURL = "javascript:alert(1)" }, fault.Invalid, "public_url"},
		}
		for _, c := range cases {
			p := got
			c.edit(&p)
			_, err := svc.Save(ctx, c.actor, p)
			if fault.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			if c.field != "" {
				named := false
				for _, f := range fault.FieldsOf(err) {
					named = named || f.Field == c.field
				}
				if !named {
					t.Errorf("%s: %v does not name %s", c.name, err, c.field)
				}
			}
		}
		if again, _ := svc.Profile(ctx); again.Version != 1 || again.CountryCode != "852" {
			t.Errorf("a refused save changed the profile: %+v", again)
		}
		entries, _, err := st.Audit().List(ctx, audit.Filter{Entity: "office", Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].Action != "office.update" {
			t.Fatalf("audit %+v, %v", entries, err)
		}
		if bytes.Contains(entries[0].After, []byte("iVBOR")) || !bytes.Contains(entries[0].After, []byte(`"logo_bytes":`)) {
			t.Errorf("audit keeps %s", entries[0].After)
		}
	})
}
