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
	"crisisdesk/internal/subscriber"
)

// formChoice is one radio button, checkbox or option of a form.
type formChoice struct {
	Value, Label string
	Checked      bool
}

// fieldError is one entry of a form's error summary.
type fieldError struct{ ID, Label, Message string }

// subscribeView is the sign-up form, filled with what was sent.
type subscribeView struct {
	Action     string
	Address    string
	Point      string
	District   string
	Channels   []formChoice
	Languages  []formChoice
	Categories []formChoice
	// Errors are the messages beside the fields, keyed by input name.
	Errors    map[string]string
	ErrorList []fieldError
}

// formRequest reads the sign-up form.
func formRequest(f url.Values) subscriber.Request {
	return subscriber.Request{Channel: f.Get("channel"), Address: f.Get("address"), Language: f.Get("language"),
		Categories: f["category"], Point: f.Get("point"), District: f.Get("district")}
}

// subscribeFormView fills the form with req and its errors, in lang.
func (s *Site) subscribeFormView(lang string, req subscriber.Request, errs map[string]string) subscribeView {
	tr := s.catalog.For(lang)
	v := subscribeView{Action: withLangQuery("/subscribe", lang), Address: req.Address, Point: req.Point,
		District: req.District, Errors: errs}
	for _, ch := range channel.Names {
		v.Channels = append(v.Channels, formChoice{Value: ch, Label: tr.T("subscribe.channel." + ch), Checked: req.Channel == ch})
	}
	want := cmp.Or(req.Language, lang)
	for _, l := range i18n.Languages {
		v.Languages = append(v.Languages, formChoice{Value: l, Label: tr.T("language." + l), Checked: want == l})
	}
	for _, c := range catalog.Categories {
		v.Categories = append(v.Categories, formChoice{Value: string(c), Label: tr.T("category." + string(c)),
			Checked: slices.Contains(req.Categories, string(c))})
	}
	for _, f := range []string{"channel", "address", "language", "categories", "point", "district"} {
		if m, ok := errs[f]; ok {
			v.ErrorList = append(v.ErrorList, fieldError{ID: f, Label: tr.T("subscribe.field." + f), Message: m})
		}
	}
	return v
}

// subscribeForm shows the empty sign-up form (e-mail chosen).
func (s *Site) subscribeForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	v := s.subscribeFormView(lang, subscriber.Request{Channel: channel.Email}, map[string]string{})
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
	req := formRequest(readSubForm(w, r))
	c, err := s.subs.signup.Subscribe(r.Context(), req, subscriber.FromPublic)
	if err != nil {
		errs := s.signupErrors(lang, req, err)
		if len(errs) == 0 {
			s.subFailed(w, r, lang, err)
			return
		}
		s.subRender(w, r, lang, http.StatusUnprocessableEntity, "subscribe", "subscribe.title", s.subscribeFormView(lang, req, errs))
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
			add("address", addressError(req))
		case "language":
			add("language", "subscribe.err.language")
		case "categories":
			add("categories", "subscribe.err.categories")
		case "area.point":
			add("point", "subscribe.err.point")
		case "area.district":
			add("district", "subscribe.err.district")
		default:
			add("address", "subscribe.err.address")
		}
	}
	return out
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
