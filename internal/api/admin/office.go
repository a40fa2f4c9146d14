package admin

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/office"
)

// OfficeText is a text in each language of the site.
type OfficeText struct {
	ZhHant string `json:"zh-Hant,omitempty"`
	ZhHans string `json:"zh-Hans,omitempty"`
	En     string `json:"en,omitempty"`
}

// OfficeDistrict is one district residents may choose.
type OfficeDistrict struct {
	Code string     `json:"code" doc:"Short and unique, e.g. sha-tin"`
	Name OfficeText `json:"name"`
}

// OfficeLevel explains one level on the public site.
type OfficeLevel struct {
	Meaning OfficeText `json:"meaning"`
	Action  OfficeText `json:"action" doc:"What the public should do"`
}

func fromText(t catalog.Text) OfficeText { return OfficeText(t) }

func toText(t OfficeText) catalog.Text { return catalog.Text(t) }

// Office is the office's profile as the API shows it: the logo as its
// media type and size (the public site serves it at /office/logo).
type Office struct {
	Name        OfficeText       `json:"name" doc:"The institution's name in each language"`
	Contact     OfficeText       `json:"contact" doc:"One line the public may use to reach the office"`
	PublicURL   string           `json:"public_url" doc:"The office's own web site, http(s); empty for none"`
	LogoType    string           `json:"logo_type" doc:"image/png, image/jpeg, image/gif or image/webp; empty when there is no logo"`
	LogoBytes   int              `json:"logo_bytes"`
	CountryCode string           `json:"country_code" doc:"Calling code local phone numbers are read with, e.g. 852; empty accepts international numbers only"`
	Districts   []OfficeDistrict `json:"districts" doc:"What residents choose from; empty means Hong Kong's 18 districts"`
	Legend      []OfficeLevel    `json:"legend" doc:"Levels I to IV in order: what each means and what the public should do; empty text falls back to the default"`
	Version     int64            `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

func toOffice(p office.Profile) Office {
	o := Office{Name: fromText(p.Name), Contact: fromText(p.Contact), PublicURL: p.PublicURL, LogoType: p.LogoType, LogoBytes: len(p.Logo),
		CountryCode: p.CountryCode, Districts: []OfficeDistrict{}, Version: p.Version, UpdatedAt: p.UpdatedAt}
	for _, d := range p.Districts {
		o.Districts = append(o.Districts, OfficeDistrict{Code: d.Code, Name: fromText(d.Name)})
	}
	for _, g := range p.Legend {
		o.Legend = append(o.Legend, OfficeLevel{Meaning: fromText(g.Meaning), Action: fromText(g.Action)})
	}
	return o
}

type officeOutput struct {
	Body Office
}

func (r *Room) getOffice(ctx context.Context, _ *struct{}) (*officeOutput, error) {
	p, err := r.Office.Profile(ctx)
	if err != nil {
		return nil, err
	}
	return &officeOutput{Body: toOffice(p)}, nil
}

// officeChange is the whole profile to store; the logo is kept unless
// logo or remove_logo says otherwise.
type officeChange struct {
	Name        OfficeText       `json:"name"`
	Contact     OfficeText       `json:"contact"`
	PublicURL   string           `json:"public_url,omitempty"`
	Logo        []byte           `json:"logo,omitempty" doc:"A new logo, base64: PNG, JPEG, GIF or WebP, at most 200 KB"`
	RemoveLogo  bool             `json:"remove_logo,omitempty"`
	CountryCode string           `json:"country_code,omitempty"`
	Districts   []OfficeDistrict `json:"districts,omitempty"`
	Legend      []OfficeLevel    `json:"legend,omitempty" maxItems:"4"`
	Version     int64            `json:"version"`
}

type updateOfficeInput struct {
	Body officeChange
}

func (r *Room) updateOffice(ctx context.Context, in *updateOfficeInput) (*officeOutput, error) {
	p, err := r.Office.Profile(ctx)
	if err != nil {
		return nil, err
	}
	b := in.Body
	p.Name, p.Contact, p.PublicURL, p.CountryCode, p.Version = toText(b.Name), toText(b.Contact), b.PublicURL, b.CountryCode, b.Version
	p.Districts = nil
	for _, d := range b.Districts {
		p.Districts = append(p.Districts, office.District{Code: d.Code, Name: toText(d.Name)})
	}
	p.Legend = [4]office.LevelGuide{}
	for i, g := range b.Legend {
		p.Legend[i] = office.LevelGuide{Meaning: toText(g.Meaning), Action: toText(g.Action)}
	}
	switch {
	case len(b.Logo) > 0:
		p.Logo = b.Logo
	case b.RemoveLogo:
		p.Logo = nil
	}
	saved, err := r.Office.Save(ctx, kit.Actor(ctx), p)
	if err != nil {
		return nil, err
	}
	return &officeOutput{Body: toOffice(saved)}, nil
}
