package public

import (
	"crypto/subtle"
	"net/http"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/subscriber"
)

// unsubscribeView is the one-button page of an unsubscribe link.
type unsubscribeView struct{ Action string }

// unsubscribeForm shows the button that stops a subscription; a GET
// changes nothing.
func (s *Site) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	s.subRender(w, r, lang, http.StatusOK, "unsubscribe", "unsubscribe.title",
		unsubscribeView{Action: withLangQuery("/unsubscribe/"+r.PathValue("token"), lang)})
}

// unsubscribe stops the subscription of the link's token. It is also the
// RFC 8058 one-click target: a mail client posts
// "List-Unsubscribe=One-Click" with no cookie and no page of ours before,
// so no same-origin check applies; the token is the capability.
func (s *Site) unsubscribe(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	readSubForm(w, r)
	_, err := s.subs.signup.Service.Unsubscribe(r.Context(), r.PathValue("token"))
	if fault.Is(err, fault.NotFound) {
		s.subMessage(w, r, lang, http.StatusNotFound, "unsubscribe.invalid.title", "unsubscribe.invalid.text", "")
		return
	}
	if err != nil {
		s.subFailed(w, r, lang, err)
		return
	}
	s.subRender(w, r, lang, http.StatusOK, "unsubscribe_done", "unsubscribe.done.title", nil)
}

// smsInbound takes a reply the SMS gateway posts to
// /sms/inbound/{token}. STOP (in any of its words) stops every
// subscription of the sender's number; other texts are logged and
// ignored. The gateway reads only the status; Twilio gets an empty TwiML
// response, which sends no reply. A wrong token, or none configured, is
// not found.
func (s *Site) smsInbound(w http.ResponseWriter, r *http.Request) {
	subNoStore(w.Header())
	want := s.subs.inboundToken
	if want == "" || subtle.ConstantTimeCompare([]byte(r.PathValue("token")), []byte(want)) != 1 {
		http.NotFound(w, r)
		return
	}
	from, text, err := sms.ParseInbound(r, s.subs.smsFormat)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	phone, err := subscriber.NormalizePhone(from)
	if err != nil {
		s.log.InfoContext(ctx, "public: SMS reply from a number that is not E.164, ignored", "err", err)
		s.inboundAnswer(w, "ignored")
		return
	}
	if !sms.IsStop(text) {
		if s.fb == nil {
			s.log.InfoContext(ctx, "public: SMS reply ignored: not STOP", "chars", len([]rune(text)))
			s.inboundAnswer(w, "ignored")
			return
		}
		// Any other reply is feedback from that number, answered by SMS.
		ref, err := s.smsFeedback(r, phone, text)
		if err != nil && !fault.Is(err, fault.Invalid) {
			s.log.ErrorContext(ctx, "public: SMS reply as feedback", "err", err)
			http.Error(w, "not stored; please retry", http.StatusInternalServerError)
			return
		}
		if err != nil {
			s.log.InfoContext(ctx, "public: SMS reply not taken as feedback", "err", err)
			s.inboundAnswer(w, "ignored")
			return
		}
		s.log.InfoContext(ctx, "public: SMS reply taken as feedback", "ref", ref, "contact", feedback.MaskContact(phone))
		s.inboundAnswer(w, "feedback "+ref)
		return
	}
	n, err := s.subs.signup.Service.UnsubscribeAddress(ctx, channel.SMS, phone)
	if err != nil {
		s.log.ErrorContext(ctx, "public: SMS STOP", "err", err)
		http.Error(w, "could not unsubscribe; please retry", http.StatusInternalServerError)
		return
	}
	s.log.InfoContext(ctx, "public: SMS STOP", "stopped", n)
	s.inboundAnswer(w, "unsubscribed")
}

// inboundAnswer answers the gateway 200: an empty TwiML response for
// Twilio, a line of text for the others.
func (s *Site) inboundAnswer(w http.ResponseWriter, text string) {
	if s.subs.smsFormat == sms.Twilio {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>` + "\n"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(text + "\n"))
}
