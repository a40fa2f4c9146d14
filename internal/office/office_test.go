package office

import (
	"bytes"
	"testing"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

func TestPhoneNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, code, want string
		ok             bool
	}{
		{"9123 4567", "852", "+85291234567", true},
		{"+852 9123-4567", "852", "+85291234567", true},
		{"00852 91234567", "", "+85291234567", true},
		{"020 7946 0958", "44", "+442079460958", true}, // the trunk 0 goes
		{"9123 4567", "", "", false},                   // local, and no code to read it with
		{"call me", "852", "", false},
		{"12", "852", "", false},
		{"+0123456789", "", "", false},
		{"9123+4567", "852", "", false},
	}
	for _, c := range cases {
		got, ok := PhoneNumber(c.in, c.code)
		if got != c.want || ok != c.ok {
			t.Errorf("PhoneNumber(%q, %q) = %q, %v; want %q, %v", c.in, c.code, got, ok, c.want, c.ok)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n rest")
	cases := []struct {
		name  string
		p     Profile
		field string // "" when valid
		typ   string
	}{
		{"empty is the defaults", Profile{}, "", ""},
		{"png", Profile{Logo: png}, "", "image/png"},
		{"jpeg", Profile{Logo: []byte{0xFF, 0xD8, 0xFF, 0xE0}}, "", "image/jpeg"},
		{"webp", Profile{Logo: []byte("RIFF\x00\x00\x00\x00WEBPVP8 ")}, "", "image/webp"},
		{"svg refused", Profile{Logo: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")}, "logo", ""},
		{"too large", Profile{Logo: append(bytes.Clone(png), make([]byte, MaxLogo)...)}, "logo", ""},
		{"calling code", Profile{CountryCode: "852"}, "", ""},
		{"no such calling code", Profile{CountryCode: "999"}, "country_code", ""},
		{"url", Profile{PublicURL: "https://www.example.gov/"}, "", ""},
		{"not a web url", Profile{PublicURL: "javascript:alert(1)"}, "public_url", ""},
		{"name on two lines", Profile{Name: catalog.Text{En: "a\nb"}}, "name", ""},
		{"district without a name", Profile{Districts: []District{{Code: "x"}}}, "districts", ""},
		{"district twice", Profile{Districts: []District{{Code: "x", Name: catalog.Text{En: "X"}}, {Code: "x", Name: catalog.Text{En: "Y"}}}}, "districts", ""},
	}
	for _, c := range cases {
		p := c.p
		p.Normalize()
		err := p.Validate()
		if c.field == "" {
			if err != nil || p.LogoType != c.typ {
				t.Errorf("%s: %v, type %q", c.name, err, p.LogoType)
			}
			continue
		}
		named := false
		for _, f := range fault.FieldsOf(err) {
			named = named || f.Field == c.field
		}
		if !named {
			t.Errorf("%s: %v does not name %s", c.name, err, c.field)
		}
	}
	if d := (Profile{}).DistrictList(); len(d) != 18 || d[0].Name.En != "Central and Western" {
		t.Errorf("default districts %v", d)
	}
	if _, ok := (Profile{}).District("sha-tin"); !ok {
		t.Error("sha-tin is not a default district")
	}
}
