package public

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/session"
	"crisisdesk/internal/throttle"
)

// The feedback pages: the form anyone may send a question or feedback
// with (no JavaScript, an optional contact for a reply), the page that
// answers it with a reference, the lookup of a reference, a department's
// or an expert's personal form, the public JSON intake
// POST /api/v1/feedback, and the mail provider's webhook for e-mail
// sent to the office's feedback address. Like the subscription pages they
// are rendered per request and never cached. Bots are kept out by a rate
// limit per client address and a honeypot field (an input people never
// see or reach), never by a CAPTCHA.

var feedbackPages = []string{"feedback_form", "feedback_sent", "feedback_status"}

// Limits of the feedback intake unless Options say otherwise.
const (
	feedbackLimit   = 20        // submissions a minute per client address
	maxFeedbackBody = 256 << 10 // an e-mail webhook may carry a long message
	honeypotField   = "website" // filled only by bots
)

// feedbackSite is what the feedback pages need beyond the site.
type feedbackSite struct {
	svc        feedback.Service
	limit      *throttle.Window
	mailSecret []byte
}

func (s *Site) newFeedback(o Options) error {
	if o.Feedback == nil {
		return nil
	}
	for _, name := range feedbackPages {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("public: parse %s: %w", name, err)
		}
		s.pages[name] = t
	}
	rate := o.FeedbackRate
	if rate == 0 {
		rate = feedbackLimit
	}
	s.fb = &feedbackSite{svc: o.Feedback, limit: throttle.New(s.clock, rate, time.Minute), mailSecret: []byte(o.FeedbackMailSecret)}
	return nil
}

func (s *Site) feedbackRoutes() []subRoute {
	if s.fb == nil {
		return nil
	}
	return []subRoute{
		{http.MethodGet, "/feedback", s.feedbackForm},
		{http.MethodPost, "/feedback", s.feedbackPost},
		{http.MethodGet, "/feedback/lookup", s.feedbackLookup},
		{http.MethodGet, "/feedback/{ref}", s.feedbackStatus},
		{http.MethodGet, "/feedback/from/{token}", s.feedbackLinkForm},
		{http.MethodPost, "/feedback/from/{token}", s.feedbackLinkPost},
		{http.MethodPost, "/api/v1/feedback", s.feedbackAPI},
		{http.MethodPost, "/feedback/inbound/email", s.feedbackEmail},
	}
}

// feedbackView is the form, filled with what was sent.
type feedbackView struct {
	Action    string
	Message   string
	Contact   string
	CrisisID  int64
	NoticeID  int64
	From      string // the department or expert of a personal link
	Errors    map[string]string
	ErrorList []fieldError
	Max       int
}

func (s *Site) feedbackView(lang, action string, f url.Values, errs map[string]string) feedbackView {
	tr := s.catalog.For(lang)
	v := feedbackView{Action: withLangQuery(action, lang), Message: f.Get("message"), Contact: f.Get("contact"),
		CrisisID: formID(f.Get("crisis")), NoticeID: formID(f.Get("notice")), Errors: errs, Max: feedback.MaxMessage}
	for _, field := range []string{"message", "contact"} {
		if m, ok := errs[field]; ok {
			v.ErrorList = append(v.ErrorList, fieldError{ID: field, Label: tr.T("feedback.field." + field), Message: m})
		}
	}
	return v
}

func formID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// feedbackForm shows the empty form; ?crisis= and ?notice= say what it is
// about (the crisis and notice pages link to it so).
func (s *Site) feedbackForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	v := s.feedbackView(lang, "/feedback", url.Values{"crisis": {r.URL.Query().Get("crisis")}, "notice": {r.URL.Query().Get("notice")}}, nil)
	s.subRender(w, r, lang, http.StatusOK, "feedback_form", "feedback.title", v)
}

// feedbackErrors turns a refusal into messages beside the fields, in
// lang; ok is false for an error that is not the sender's.
func (s *Site) feedbackErrors(lang string, err error) (map[string]string, bool) {
	if !fault.Is(err, fault.Invalid) {
		return nil, false
	}
	tr := s.catalog.For(lang)
	errs := map[string]string{}
	for _, fe := range fault.FieldsOf(err) {
		switch fe.Field {
		case "message", "contact":
			errs[fe.Field] = tr.T("feedback.err." + fe.Field)
		default: // a crisis or notice that does not exist: the message is still taken without it
			errs["message"] = tr.T("feedback.err.about")
		}
	}
	return errs, true
}

// feedbackAllowed counts a submission from the client's address; it
// answers 429 itself.
func (s *Site) feedbackAllowed(w http.ResponseWriter, r *http.Request, lang string, page bool) bool {
	ok, wait := s.fb.limit.Allow("feedback " + session.ClientAddr(r))
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
		if page {
			s.subMessage(w, r, lang, http.StatusTooManyRequests, "subscribe.limited.title", "feedback.limited", "")
		} else {
			feedbackProblem(w, http.StatusTooManyRequests, "too many submissions from your address: try again later", "")
		}
	}
	return ok
}

func (s *Site) feedbackPost(w http.ResponseWriter, r *http.Request) {
	s.takeFeedback(w, r, "/feedback", feedback.Submission{Channel: feedback.Web})
}

// takeFeedback reads a posted form into sub and stores it, answering
// the page with the reference, or the form again with its errors.
func (s *Site) takeFeedback(w http.ResponseWriter, r *http.Request, action string, sub feedback.Submission) {
	lang := s.subscribeLang(w, r)
	if s.subs.origin.Check(r) != nil {
		s.subMessage(w, r, lang, http.StatusForbidden, "subscribe.forbidden.title", "subscribe.forbidden.text", action)
		return
	}
	if !s.feedbackAllowed(w, r, lang, true) {
		return
	}
	f := readSubForm(w, r)
	if f.Get(honeypotField) != "" {
		s.subMessage(w, r, lang, http.StatusUnprocessableEntity, "feedback.refused.title", "feedback.refused.text", action)
		return
	}
	sub.Message, sub.Contact, sub.Language = f.Get("message"), f.Get("contact"), lang
	if sub.Source == "" {
		sub.CrisisID, sub.NoticeID = formID(f.Get("crisis")), formID(f.Get("notice"))
	}
	got, err := s.fb.svc.Submit(r.Context(), sub)
	if err != nil {
		errs, ok := s.feedbackErrors(lang, err)
		if !ok {
			s.subFailed(w, r, lang, err)
			return
		}
		s.subRender(w, r, lang, http.StatusUnprocessableEntity, "feedback_form", "feedback.title", s.feedbackView(lang, action, f, errs))
		return
	}
	s.log.InfoContext(r.Context(), "public: feedback received", "ref", got.Ref, "channel", got.Channel,
		"contact", feedback.MaskContact(got.Contact))
	s.subRender(w, r, lang, http.StatusCreated, "feedback_sent", "feedback.sent.title", sentFeedback{Ref: got.Ref,
		Link: withLangQuery("/feedback/"+got.Ref, lang), Contact: got.Contact != ""})
}

// sentFeedback is the page that gives the reference.
type sentFeedback struct {
	Ref     string
	Link    string
	Contact bool // a reply will also be sent
}

// feedbackLookup answers the lookup form: to the reference's page.
func (s *Site) feedbackLookup(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	ref := feedback.NormalizeRef(r.URL.Query().Get("ref"))
	if ref == "" {
		ref = url.PathEscape(strings.TrimSpace(r.URL.Query().Get("ref")))
	}
	http.Redirect(w, r, withLangQuery("/feedback/"+ref, lang), http.StatusSeeOther)
}

// statusView is the lookup page.
type statusView struct {
	Status  feedback.Status
	Pending bool
}

func (s *Site) feedbackStatus(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	st, err := s.fb.svc.Lookup(r.Context(), r.PathValue("ref"))
	switch {
	case fault.Is(err, fault.NotFound):
		s.subMessage(w, r, lang, http.StatusNotFound, "feedback.unknown.title", "feedback.unknown.text", "/feedback")
		return
	case err != nil:
		s.subFailed(w, r, lang, err)
		return
	}
	s.subRender(w, r, lang, http.StatusOK, "feedback_status", "feedback.status.title",
		statusView{Status: st, Pending: st.RepliedAt.IsZero()})
}

// feedbackLinkForm is a department's or an expert's personal form.
func (s *Site) feedbackLinkForm(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	l, err := s.fb.svc.LinkByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.linkRefused(w, r, lang, err)
		return
	}
	v := s.feedbackView(lang, r.URL.Path, url.Values{}, nil)
	v.From = l.Label
	s.subRender(w, r, lang, http.StatusOK, "feedback_form", "feedback.title", v)
}

func (s *Site) feedbackLinkPost(w http.ResponseWriter, r *http.Request) {
	lang := s.subscribeLang(w, r)
	l, err := s.fb.svc.LinkByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.linkRefused(w, r, lang, err)
		return
	}
	s.takeFeedback(w, r, r.URL.Path, feedback.Submission{Channel: feedback.Link, Source: l.Source, SourceID: l.SourceID})
}

func (s *Site) linkRefused(w http.ResponseWriter, r *http.Request, lang string, err error) {
	if fault.Is(err, fault.NotFound) {
		s.subMessage(w, r, lang, http.StatusNotFound, "feedback.link_gone.title", "feedback.link_gone.text", "/feedback")
		return
	}
	s.subFailed(w, r, lang, err)
}

// apiFeedback is the body of POST /api/v1/feedback.
type apiFeedback struct {
	Message  string `json:"message"`
	Contact  string `json:"contact"`
	Language string `json:"language"`
	CrisisID int64  `json:"crisis_id"`
	NoticeID int64  `json:"notice_id"`
	Website  string `json:"website"` // the honeypot: left empty by people
}

// feedbackAPI is the public JSON intake: 201 with the reference once the
// submission is durable, RFC 9457 problems naming the field otherwise.
// It is served here, beside the form, rather than by the API's kit: it
// is the one public write that must take a surge.
func (s *Site) feedbackAPI(w http.ResponseWriter, r *http.Request) {
	if !s.feedbackAllowed(w, r, "", false) {
		return
	}
	var in apiFeedback
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err := dec.Decode(&in); err != nil {
		feedbackProblem(w, http.StatusBadRequest, "the body is not a JSON object of the documented shape", "")
		return
	}
	if in.Website != "" {
		feedbackProblem(w, http.StatusUnprocessableEntity, "not accepted", "website")
		return
	}
	got, err := s.fb.svc.Submit(r.Context(), feedback.Submission{Message: in.Message, Contact: in.Contact, Language: in.Language,
		CrisisID: in.CrisisID, NoticeID: in.NoticeID, Channel: feedback.API})
	if err != nil {
		if fe := fault.FieldsOf(err); len(fe) > 0 {
			feedbackProblem(w, http.StatusUnprocessableEntity, fe[0].Message, fe[0].Field)
			return
		}
		s.log.ErrorContext(r.Context(), "public: feedback", "err", err)
		feedbackProblem(w, http.StatusInternalServerError, "not stored; please retry", "")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Location", "/feedback/"+got.Ref)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"ref":%q,"status_url":%q,"state":%q}`+"\n", got.Ref, s.abs("/feedback/"+got.Ref), got.State)
}

// feedbackProblem writes an RFC 9457 problem; field names the body field
// at fault.
func feedbackProblem(w http.ResponseWriter, status int, detail, field string) {
	p := map[string]any{"title": http.StatusText(status), "status": status, "detail": detail}
	if field != "" {
		p["errors"] = []map[string]string{{"location": "body." + field, "message": detail}}
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// inboundEmail is what the mail provider's webhook posts for an e-mail to
// the office's feedback address.
type inboundEmail struct {
	From    string `json:"from"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// SignatureHeader carries the mail provider's signature of an inbound
// e-mail: "sha256=" and the hex HMAC-SHA256 of the body under the shared
// secret.
const SignatureHeader = "X-Crisisdesk-Signature"

// feedbackEmail takes an e-mail the mail provider forwards. A missing or
// wrong signature is refused (401) before the body is believed; without
// a secret configured the route is not found.
func (s *Site) feedbackEmail(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if len(s.fb.mailSecret) == 0 {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFeedbackBody))
	if err != nil {
		feedbackProblem(w, http.StatusRequestEntityTooLarge, "the body is too large", "")
		return
	}
	if !validSignature(s.fb.mailSecret, body, r.Header.Get(SignatureHeader)) {
		s.log.WarnContext(r.Context(), "public: inbound e-mail with a bad signature refused")
		feedbackProblem(w, http.StatusUnauthorized, "bad or missing signature", "")
		return
	}
	var in inboundEmail
	if err := json.Unmarshal(body, &in); err != nil {
		feedbackProblem(w, http.StatusBadRequest, "the body is not a JSON object {from, subject, text}", "")
		return
	}
	msg := strings.TrimSpace(in.Text)
	if subj := strings.TrimSpace(in.Subject); subj != "" {
		msg = subj + "\n\n" + msg
	}
	got, err := s.fb.svc.Submit(r.Context(), feedback.Submission{Message: msg, Contact: bareAddress(in.From), Channel: feedback.Email})
	if err != nil {
		if fe := fault.FieldsOf(err); len(fe) > 0 {
			feedbackProblem(w, http.StatusUnprocessableEntity, fe[0].Message, fe[0].Field)
			return
		}
		s.log.ErrorContext(r.Context(), "public: inbound e-mail", "err", err)
		feedbackProblem(w, http.StatusInternalServerError, "not stored; please retry", "")
		return
	}
	s.log.InfoContext(r.Context(), "public: feedback by e-mail", "ref", got.Ref, "contact", feedback.MaskContact(got.Contact))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"ref":%q}`+"\n", got.Ref)
}

// validSignature checks "sha256=HEX" against the body in constant time.
func validSignature(secret, body []byte, header string) bool {
	sig, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Sign is the signature header value a mail provider sends for body; for
// tests and the provider's set-up notes.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// bareAddress is the address of "Name <addr>" or addr.
func bareAddress(from string) string {
	from = strings.TrimSpace(from)
	if i, j := strings.LastIndexByte(from, '<'), strings.LastIndexByte(from, '>'); i >= 0 && j > i {
		return strings.TrimSpace(from[i+1 : j])
	}
	return from
}

// smsFeedback stores a reply to an SMS notice that is not STOP as
// feedback from that number; it reports whether it did.
func (s *Site) smsFeedback(r *http.Request, phone, text string) (string, error) {
	if s.fb == nil {
		return "", errors.New("feedback is off")
	}
	got, err := s.fb.svc.Submit(r.Context(), feedback.Submission{Message: text, Contact: phone, Channel: feedback.SMS})
	if err != nil {
		return "", err
	}
	return got.Ref, nil
}

// feedbackAuthz lists the GET feedback routes for the permission walk.
func (s *Site) feedbackAuthz() []authz.Route {
	var out []authz.Route
	for _, r := range s.feedbackRoutes() {
		if r.method == http.MethodGet {
			out = append(out, authz.Route{Method: r.method, Pattern: r.pattern, Public: true})
		}
	}
	return out
}

// faqView is a crisis's FAQ on its public page.
type faqView struct {
	Entries []feedback.Entry
	AskHref string
}

// crisisFAQ is the FAQ of crisis id in lang; empty when feedback is off.
func (s *Site) crisisFAQ(r *http.Request, lang string, id int64) (faqView, error) {
	if s.fb == nil {
		return faqView{}, nil
	}
	es, err := s.fb.svc.FAQ(r.Context(), id)
	if err != nil {
		return faqView{}, err
	}
	return faqView{Entries: es, AskHref: withLangQuery("/feedback", lang) + "&crisis=" + strconv.FormatInt(id, 10)}, nil
}
