package subscriber

import (
	"net/mail"
	"net/url"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/medium"
)

// Request is what someone asks for when subscribing.
type Request struct {
	Channel    string
	Address    string
	Language   string
	Categories []string
	Point      string // "lat,lon", optional
	District   string // optional
}

// Validate checks r and returns the subscriber it describes (pending, not
// yet stored), with the address normalised. Every invalid field is named.
func (r Request) Validate(source Source) (Subscriber, error) {
	var errs fault.Fields
	s := Subscriber{Channel: strings.TrimSpace(r.Channel), Language: strings.TrimSpace(r.Language), Status: Pending, Source: source}
	addr, err := NormalizeAddress(s.Channel, r.Address)
	if err != nil {
		if fe := fault.As(err); fe != nil && fe.Field != "" {
			errs.Add(fe.Field, "%s", fe.Message)
		} else {
			errs.Add("address", "%v", err)
		}
	}
	s.Address = addr
	if s.Language == "" {
		s.Language = i18n.Default
	} else if !i18n.Supported(s.Language) {
		errs.Add("language", "%q is not offered: choose zh-Hant, zh-Hans or en", s.Language)
	}
	seen := map[catalog.Category]bool{}
	for _, c := range r.Categories {
		cat := catalog.Category(strings.TrimSpace(c))
		if cat == "" || seen[cat] {
			continue
		}
		if !cat.Valid() {
			errs.Add("categories", "%q is not a crisis category", c)
			continue
		}
		seen[cat] = true
		s.Categories = append(s.Categories, cat)
	}
	if p := strings.TrimSpace(r.Point); p != "" {
		pt, err := ParsePoint(p)
		if err != nil {
			errs.Add("area.point", "%s", fault.As(err).Message)
		} else {
			s.Area.Point = &pt
		}
	}
	s.Area.District = strings.TrimSpace(r.District)
	if len([]rune(s.Area.District)) > 100 {
		errs.Add("area.district", "at most 100 characters")
	}
	return s, errs.Err()
}

// NormalizeAddress checks addr for channel ch and returns its canonical
// form: an e-mail address with a lower-case domain, an E.164 number, or an
// http(s) URL. Whether a public webhook URL points inside the network is
// checked where the network is (the webhook channel), not here.
func NormalizeAddress(ch, addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", fault.Field("address", "is required")
	}
	switch ch {
	case medium.Email:
		return normalizeEmail(addr)
	case medium.SMS:
		return NormalizePhone(addr)
	case medium.Webhook:
		return normalizeURL(addr)
	case "":
		return "", fault.Field("channel", "is required: email, sms or webhook")
	default:
		return "", fault.Field("channel", "%q is not a channel: email, sms or webhook", ch)
	}
}

func normalizeEmail(addr string) (string, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr {
		return "", fault.Field("address", "%q is not an e-mail address", addr)
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || len(addr) > 254 {
		return "", fault.Field("address", "%q is not an e-mail address", addr)
	}
	return local + "@" + strings.ToLower(domain), nil
}

// NormalizePhone reads a mobile number in E.164 form (+, country code and
// number, 8 to 15 digits in all); spaces, dashes, dots and brackets are
// dropped first.
func NormalizePhone(addr string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(addr) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", fault.Field("address", "%q is not a phone number in E.164 form, e.g. +85291234567", addr)
		}
	}
	n := b.String()
	if !strings.HasPrefix(n, "+") || len(n) < 9 || len(n) > 16 || n[1] == '0' {
		return "", fault.Field("address", "%q is not a phone number in E.164 form, e.g. +85291234567", addr)
	}
	return n, nil
}

func normalizeURL(addr string) (string, error) {
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fault.Field("address", "%q is not an http or https URL", addr)
	}
	if u.User != nil {
		return "", fault.Field("address", "a webhook URL must not carry a user name or password")
	}
	if len(addr) > 2000 {
		return "", fault.Field("address", "at most 2000 characters")
	}
	u.Fragment = ""
	return u.String(), nil
}
