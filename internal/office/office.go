// Package office is who speaks on the public site: the institution's name
// in each language, its logo, contact line and public address, what the
// public should do at each crisis level, the default country code of
// local phone numbers and the districts residents choose from. Admins
// edit it; every public page, feed, CAP document, e-mail and SMS uses it.
package office

import (
	"bytes"
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

// MaxLogo is the largest logo accepted, in bytes.
const MaxLogo = 200 << 10

// Profile is the office's settings as the public sees them.
type Profile struct {
	// Name is the institution's name in each language; empty in every
	// language means the site's generic name (message key public.site).
	Name catalog.Text `json:"name"`
	// Contact is one line the public may use to reach the office, such as
	// a hotline.
	Contact catalog.Text `json:"contact"`
	// PublicURL is the address of the office's own public web site, shown
	// as a link; empty shows none.
	PublicURL string `json:"public_url"`
	// Logo is a PNG, JPEG, GIF or WebP image of at most MaxLogo bytes;
	// LogoType is its media type, set by Validate.
	Logo     []byte `json:"logo,omitempty"`
	LogoType string `json:"logo_type,omitempty"`
	// CountryCode is the calling code local phone numbers are read with,
	// digits only ("852"); empty accepts international numbers only.
	CountryCode string `json:"country_code"`
	// Districts are what a resident chooses from on the subscribe form;
	// empty means DefaultDistricts.
	Districts []District `json:"districts"`
	// Legend says what each level I–IV means and what the public should
	// do; a level left empty is explained by the catalogue's default text.
	Legend [4]LevelGuide `json:"legend"`
	// Version counts saves, for refusing a stale edit.
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// District is one district of the office's area.
type District struct {
	Code string       `json:"code"`
	Name catalog.Text `json:"name"`
}

// LevelGuide explains one level.
type LevelGuide struct {
	Meaning catalog.Text `json:"meaning"`
	Action  catalog.Text `json:"action"`
}

// Service reads and changes the profile.
type Service interface {
	// Profile returns the stored profile, or the defaults when none was
	// saved. It is cheap: callers may ask for every message they render.
	Profile(ctx context.Context) (Profile, error)
	// Save validates and stores p. Errors: forbidden (not an admin),
	// invalid (with the field), conflict (p.Version is stale).
	Save(ctx context.Context, actor authz.Actor, p Profile) (Profile, error)
}

// Normalize trims the text fields.
func (p *Profile) Normalize() {
	trim := func(t *catalog.Text) {
		t.ZhHant, t.ZhHans, t.En = strings.TrimSpace(t.ZhHant), strings.TrimSpace(t.ZhHans), strings.TrimSpace(t.En)
	}
	trim(&p.Name)
	trim(&p.Contact)
	p.PublicURL = strings.TrimSpace(p.PublicURL)
	p.CountryCode = strings.TrimPrefix(strings.TrimSpace(p.CountryCode), "+")
	for i := range p.Districts {
		p.Districts[i].Code = strings.TrimSpace(p.Districts[i].Code)
		trim(&p.Districts[i].Name)
	}
	for i := range p.Legend {
		trim(&p.Legend[i].Meaning)
		trim(&p.Legend[i].Action)
	}
	if len(p.Logo) == 0 {
		p.LogoType = ""
	}
}

// Validate checks p and sets LogoType. The fields named in errors are
// name, contact, public_url, logo, country_code, districts and legend.
func (p *Profile) Validate() error {
	var errs fault.Fields
	for _, s := range []string{p.Name.ZhHant, p.Name.ZhHans, p.Name.En} {
		if len([]rune(s)) > 200 || strings.ContainsAny(s, "\r\n") {
			errs.Add("name", "a name is one line of at most 200 characters")
			break
		}
	}
	for _, s := range []string{p.Contact.ZhHant, p.Contact.ZhHans, p.Contact.En} {
		if len([]rune(s)) > 300 || strings.ContainsAny(s, "\r\n") {
			errs.Add("contact", "the contact is one line of at most 300 characters")
			break
		}
	}
	if p.PublicURL != "" {
		u, err := url.Parse(p.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add("public_url", "want an http:// or https:// address")
		}
	}
	if len(p.Logo) > 0 {
		t, err := LogoType(p.Logo)
		if err != nil {
			errs.Add("logo", "%s", err.Error())
		}
		p.LogoType = t
	}
	if p.CountryCode != "" && !KnownCallingCode(p.CountryCode) {
		errs.Add("country_code", "%q is not a country calling code such as 852", p.CountryCode)
	}
	seen := map[string]bool{}
	for _, d := range p.Districts {
		if d.Code == "" || len(d.Code) > 40 || d.Name.Empty() || seen[d.Code] {
			errs.Add("districts", "each district needs a code of its own and a name")
			break
		}
		seen[d.Code] = true
	}
	for _, g := range p.Legend {
		if len([]rune(g.Meaning.For("en")+g.Meaning.ZhHant+g.Meaning.ZhHans)) > 1500 ||
			len([]rune(g.Action.En+g.Action.ZhHant+g.Action.ZhHans)) > 1500 {
			errs.Add("legend", "each level's text is at most 500 characters in each language")
			break
		}
	}
	return errs.Err()
}

// LogoType returns the media type of a logo, or an error saying why it
// cannot be one: too large, or not a PNG, JPEG, GIF or WebP image. SVG is
// refused: opened on its own, it runs scripts on the site's origin.
func LogoType(b []byte) (string, error) {
	if len(b) > MaxLogo {
		return "", fault.Field("logo", "the logo is %d KB; at most %d KB", (len(b)+1023)/1024, MaxLogo>>10)
	}
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", nil
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif", nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp", nil
	}
	return "", fault.Field("logo", "the logo is not a PNG, JPEG, GIF or WebP image")
}

// DistrictList returns the districts residents choose from.
func (p Profile) DistrictList() []District {
	if len(p.Districts) == 0 {
		return DefaultDistricts()
	}
	return p.Districts
}

// District returns the district with code, if the office has it.
func (p Profile) District(code string) (District, bool) {
	i := slices.IndexFunc(p.DistrictList(), func(d District) bool { return d.Code == code })
	if i < 0 {
		return District{}, false
	}
	return p.DistrictList()[i], true
}

// NameIn returns the institution's name in lang, or fallback when the
// office has not named itself.
func (p Profile) NameIn(lang, fallback string) string {
	if s := p.Name.For(lang); s != "" {
		return s
	}
	return fallback
}
