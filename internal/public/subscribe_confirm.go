package public

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// codeView is the form that confirms an SMS subscription by its code.
type codeView struct {
	Action  string
	Address string
	Errors  map[string]string
}

// confirmView is the one-button page of a confirmation link.
type confirmView struct{ Action, Token string }

// doneView says a subscription is active, and how to stop it.
type doneView struct {
	Channel     string
	Address     string
	Unsubscribe string
}

// confirmForm shows the button that confirms a link's subscription. A GET
// changes nothing, so a mail scanner that opens the link confirms nothing.
func (s *Site) confirmForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	token := strings.TrimSpace(r.URL.Query().Get("token"))
	if token == "" {
		s.subMessage(w, r, lang, http.StatusNotFound, "subscribe.invalid.title", "subscribe.invalid.text", "/subscribe")
		return
	}
	s.subRender(w, r, lang, http.StatusOK, "subscribe_confirm", "subscribe.confirm.title",
		confirmView{Action: withLangQuery("/subscribe/confirm", lang), Token: token})
}

// confirm activates the subscription of a confirmation link.
func (s *Site) confirm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	if !s.subSameOrigin(w, r, lang) {
		return
	}
	token := strings.TrimSpace(readSubForm(w, r).Get("token"))
	if token == "" {
		s.subMessage(w, r, lang, http.StatusNotFound, "subscribe.invalid.title", "subscribe.invalid.text", "/subscribe")
		return
	}
	sub, err := s.subs.signup.Service.Confirm(r.Context(), token)
	if fault.Is(err, fault.NotFound) {
		s.subMessage(w, r, lang, http.StatusNotFound, "subscribe.invalid.title", "subscribe.invalid.text", "/subscribe")
		return
	}
	if err != nil {
		s.subFailed(w, r, lang, err)
		return
	}
	s.subDone(w, r, lang, sub)
}

// subDone shows that sub is active, with its unsubscribe link.
func (s *Site) subDone(w http.ResponseWriter, r *http.Request, lang string, sub subscriber.Subscriber) {
	s.subRender(w, r, lang, http.StatusOK, "subscribe_done", "subscribe.done.title",
		doneView{Channel: sub.Channel, Address: sub.Address, Unsubscribe: "/unsubscribe/" + sub.Token})
}

// codeForm shows the SMS code form, for a reader who left the page the
// sign-up answered with.
func (s *Site) codeForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	s.subRender(w, r, lang, http.StatusOK, "subscribe_code", "subscribe.code.title",
		codeView{Action: withLangQuery("/subscribe/code", lang), Address: r.URL.Query().Get("address"), Errors: map[string]string{}})
}

// confirmCode activates an SMS subscription by its code; a wrong code is
// shown beside the field with the tries left.
func (s *Site) confirmCode(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	if !s.subSameOrigin(w, r, lang) || !s.subAllowed(w, r, lang, "code") {
		return
	}
	f := readSubForm(w, r)
	tr := s.catalog.For(lang)
	v := codeView{Action: withLangQuery("/subscribe/code", lang), Address: f.Get("address"), Errors: map[string]string{}}
	phone, err := subscriber.NormalizePhone(v.Address)
	if err != nil {
		v.Errors["address"] = tr.T("subscribe.err.phone")
	}
	code := strings.TrimSpace(f.Get("code"))
	if code == "" {
		v.Errors["code"] = tr.T("subscribe.err.code_required")
	}
	if len(v.Errors) == 0 {
		var sub subscriber.Subscriber
		sub, err = s.subs.signup.Service.ConfirmCode(r.Context(), phone, code)
		if err == nil {
			s.subDone(w, r, lang, sub)
			return
		}
		fe := fault.As(err)
		if fe.Code != fault.Invalid || fe.Field != "code" {
			s.subFailed(w, r, lang, err)
			return
		}
		if n, ok := triesLeft(fe.Message); ok {
			v.Errors["code"] = tr.T("subscribe.err.code_wrong", "Count", n)
		} else {
			v.Errors["code"] = tr.T("subscribe.err.code_void")
		}
	}
	s.subRender(w, r, lang, http.StatusUnprocessableEntity, "subscribe_code", "subscribe.code.title", v)
}

// triesLeft reads the tries left from the service's refusal of a wrong
// code ("the code is wrong (N tries left)"); other refusals (none waiting,
// expired, too many tries) have none.
func triesLeft(msg string) (int, bool) {
	_, rest, ok := strings.Cut(msg, "(")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, " tries left)")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil && n >= 0
}

// SMS reports whether the subscription is by SMS, which also stops by a
// STOP reply.
func (v doneView) SMS() bool { return v.Channel == channel.SMS }
