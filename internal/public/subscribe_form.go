package public

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/office"
	"crisisdesk/internal/subscriber"
)

// formChoice is one radio button, checkbox or option of a form.
type formChoice struct {
	Value, Label string
	Checked      bool
	// Disabled is a channel this office cannot send on.
	Disabled bool
}

// fieldError is one entry of a form's error summary.
type fieldError struct{ ID, Label, Message string }

// channelInputs are the form's input for each channel's address: each
// with its own type, inputmode and autocomplete.
var channelInputs = map[string]string{channel.Email: "email", channel.SMS: "phone", channel.Webhook: "url"}

// subscribeView is the sign-up form, filled with what was sent.
type subscribeView struct {
	Action string
	// Email, Phone and URL are the address inputs, one per channel.
	Email, Phone, URL string
	District          string // the code chosen
	Channels          []formChoice
	Languages         []formChoice
	Categories        []formChoice
	Districts         []formChoice
	// CountryCode is the office's, for the phone hint; empty asks for
	// international numbers.
	CountryCode string
	// Errors are the messages beside the fields, keyed by input name.
	Errors    map[string]string
	ErrorList []fieldError
}

// subscribeForm is the sign-up form as posted: the request and which
// input each address came from.
type subscribeForm struct {
	req                     subscriber.Request
	email, phone, url, dist string
}

// formRequest reads the sign-up form: the address is the chosen
// channel's input (else "address", as older links post it), a local
// phone number gets the office's country code, and a district from the
// office's list is stored with the names it goes by.
func formRequest(f url.Values, p office.Profile) subscribeForm {
	sf := subscribeForm{email: f.Get("email"), phone: f.Get("phone"), url: f.Get("url"), dist: strings.TrimSpace(f.Get("district"))}
	ch := strings.TrimSpace(f.Get("channel"))
	addr, known := map[string]string{channel.Email: sf.email, channel.SMS: sf.phone, channel.Webhook: sf.url}[ch]
	if !known { // no channel chosen: whatever was typed, so that the channel is what is wrong
		addr = cmp.Or(sf.email, sf.phone, sf.url)
	}
	if strings.TrimSpace(addr) == "" {
		addr = f.Get("address")
		switch ch {
		case channel.SMS:
			sf.phone = addr
		case channel.Webhook:
			sf.url = addr
		default:
			sf.email = cmp.Or(sf.email, addr)
		}
	}
	if ch == channel.SMS {
		if n, ok := office.PhoneNumber(addr, p.CountryCode); ok {
			addr = n
		}
	}
	sf.req = subscriber.Request{Channel: ch, Address: addr, Language: f.Get("language"),
		Categories: f["category"], Point: f.Get("point")}
	if d, ok := p.District(sf.dist); ok {
		sf.req.District = strings.Join([]string{d.Code, d.Name.ZhHant, d.Name.ZhHans, d.Name.En}, "|")
	}
	return sf
}

// subscribeFormView fills the form with what was posted and its errors,
// in lang.
func (s *Site) subscribeFormView(lang string, p office.Profile, sf subscribeForm, errs map[string]string) subscribeView {
	tr := s.catalog.For(lang)
	req := sf.req
	v := subscribeView{Action: withLangQuery("/subscribe", lang), Email: sf.email, Phone: sf.phone, URL: sf.url,
		District: sf.dist, CountryCode: p.CountryCode, Errors: errs}
	for _, ch := range channel.Names {
		v.Channels = append(v.Channels, formChoice{Value: ch, Label: tr.T("subscribe.channel." + ch), Checked: req.Channel == ch,
			Disabled: !s.subs.canSend(ch)})
	}
	want := cmp.Or(req.Language, lang)
	for _, l := range i18n.Languages {
		v.Languages = append(v.Languages, formChoice{Value: l, Label: tr.T("language." + l), Checked: want == l})
	}
	for _, c := range catalog.Categories {
		v.Categories = append(v.Categories, formChoice{Value: string(c), Label: tr.T("category." + string(c)),
			Checked: slices.Contains(req.Categories, string(c))})
	}
	for _, d := range p.DistrictList() {
		v.Districts = append(v.Districts, formChoice{Value: d.Code, Label: d.Name.For(lang), Checked: d.Code == sf.dist})
	}
	for _, f := range []string{"channel", "email", "phone", "url", "language", "categories", "district"} {
		if m, ok := errs[f]; ok {
			label := tr.T("subscribe.field." + f)
			v.ErrorList = append(v.ErrorList, fieldError{ID: f, Label: label, Message: m})
		}
	}
	return v
}

// subscribeForm shows the empty sign-up form (e-mail chosen).
func (s *Site) subscribeForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	p, err := s.office.Profile(r.Context())
	if err != nil {
		s.subFailed(w, r, lang, err)
		return
	}
	first := channel.Email
	if !s.subs.canSend(first) {
		first = ""
	}
	v := s.subscribeFormView(lang, p, subscribeForm{req: subscriber.Request{Channel: first}}, map[string]string{})
	s.subRender(w, r, lang, http.StatusOK, "subscribe", "subscribe.title", v)
}

// sentView is the page after a sign-up: what was sent where, the SMS code
// form, or the webhook secret shown once.
type sentView struct {
	Channel string
	Address string
	Secret  string
	Code    codeView
}

// subscribe takes the sign-up form through subscriber.Signup. Invalid
// fields come back beside the form; an address already subscribed gets
// the same page as a new one.
func (s *Site) subscribe(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	if !s.subSameOrigin(w, r, lang) || !s.subAllowed(w, r, lang, "subscribe") {
		return
	}
	p, err := s.office.Profile(r.Context())
	if err != nil {
		s.subFailed(w, r, lang, err)
		return
	}
	sf := formRequest(readSubForm(w, r), p)
	req := sf.req
	// What the form itself can tell: a channel this office cannot send
	// on (nobody would confirm), a district not on its list.
	own := map[string]string{}
	tr := s.catalog.For(lang)
	if req.Channel != "" && slices.Contains(channel.Names, req.Channel) && !s.subs.canSend(req.Channel) {
		own["channel"] = tr.T("subscribe.err.channel_off")
	}
	if sf.dist != "" && req.District == "" {
		own["district"] = tr.T("subscribe.err.district_unknown")
	}
	var c subscriber.Confirmation
	if len(own) == 0 {
		c, err = s.subs.signup.Subscribe(r.Context(), req, subscriber.FromPublic)
	} else {
		// Every other mistake shows too: check the rest without storing.
		_, err = req.Validate(subscriber.FromPublic)
		if err == nil {
			err = fault.Field("form", "see the form's own errors")
		}
	}
	if err != nil || len(own) > 0 {
		errs := s.signupErrors(lang, req, err)
		if len(errs) == 0 && len(own) == 0 {
			s.subFailed(w, r, lang, err)
			return
		}
		for k, v := range own {
			errs[k] = v
		}
		s.subRender(w, r, lang, http.StatusUnprocessableEntity, "subscribe", "subscribe.title", s.subscribeFormView(lang, p, sf, errs))
		return
	}
	sub := c.Subscriber
	v := sentView{Channel: sub.Channel, Address: sub.Address}
	switch sub.Channel {
	case channel.SMS:
		v.Code = codeView{Action: withLangQuery("/subscribe/code", lang), Address: sub.Address}
	case channel.Webhook:
		if !c.Already {
			v.Secret = sub.Secret
		}
	}
	s.subRender(w, r, lang, http.StatusOK, "subscribe_sent", "subscribe.sent.title", v)
}

// signupErrors turns Signup's invalid fields into messages in lang, keyed
// by the form's input names. It is empty when err names no field.
func (s *Site) signupErrors(lang string, req subscriber.Request, err error) map[string]string {
	if !fault.Is(err, fault.Invalid) {
		return nil
	}
	tr := s.catalog.For(lang)
	out := map[string]string{}
	add := func(field, key string) {
		if _, ok := out[field]; !ok {
			out[field] = tr.T(key)
		}
	}
	for _, fe := range fault.FieldsOf(err) {
		switch fe.Field {
		case "channel":
			add("channel", "subscribe.err.channel")
		case "address":
			add(addressInput(req), addressError(req))
		case "language":
			add("language", "subscribe.err.language")
		case "categories":
			add("categories", "subscribe.err.categories")
		case "area.point":
			add("district", "subscribe.err.point")
		case "area.district":
			add("district", "subscribe.err.district_unknown")
		case "form":
		default:
			add(addressInput(req), "subscribe.err.address")
		}
	}
	return out
}

// addressInput is the input beside which an address error shows: the
// chosen channel's, else the e-mail one.
func addressInput(req subscriber.Request) string {
	if in, ok := channelInputs[strings.TrimSpace(req.Channel)]; ok {
		return in
	}
	return "email"
}

// addressError names the message for an address Signup refused: a
// malformed address for its channel, or else a webhook URL refused where
// it leads.
func addressError(req subscriber.Request) string {
	ch := strings.TrimSpace(req.Channel)
	if strings.TrimSpace(req.Address) == "" {
		return "subscribe.err.address_required"
	}
	if _, err := subscriber.NormalizeAddress(ch, req.Address); err != nil || ch != channel.Webhook {
		switch ch {
		case channel.Email:
			return "subscribe.err.email"
		case channel.SMS:
			return "subscribe.err.phone"
		case channel.Webhook:
			return "subscribe.err.url"
		}
		return "subscribe.err.address"
	}
	return "subscribe.err.url_refused"
}
