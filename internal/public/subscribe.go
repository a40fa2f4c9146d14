package public

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/throttle"
)

// The subscription pages: self-service sign-up with double opt-in, the
// confirmation of a link or an SMS code, unsubscription (with RFC 8058
// one-click) and the SMS gateway's replies. Unlike the rest of the site
// they are rendered per request and never cached by anyone: they carry
// capabilities (tokens, a webhook secret) and answer a form.

// subscribePages are the subscription templates, each defining "content";
// templates/subscribe_parts.html holds what several of them share.
var subscribePages = []string{"subscribe", "subscribe_sent", "subscribe_code", "subscribe_confirm",
	"subscribe_done", "unsubscribe", "unsubscribe_done", "subscribe_message"}

// How many sign-ups (and SMS code tries) one client address may send a
// minute unless Options.SubscribeRate says otherwise, and how big a form
// may be.
const (
	subscribeLimit = 10
	maxFormBytes   = 32 << 10
)

// subscriptions is what the subscription pages need beyond the site.
type subscriptions struct {
	signup       subscriber.Signup
	canSend      func(channel string) bool
	inboundToken string
	smsFormat    string
	limit        *throttle.Window
	origin       *http.CrossOriginProtection
	baseOrigin   string // scheme://host[:port] of BaseURL
}

// newSubscriptions parses the subscription templates into the site's
// pages and keeps the options they use.
func (s *Site) newSubscriptions(o Options) (*subscriptions, error) {
	for _, name := range subscribePages {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/partials.html",
			"templates/subscribe_parts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("public: parse %s: %w", name, err)
		}
		s.pages[name] = t
	}
	u, err := url.Parse(s.base)
	if err != nil {
		return nil, fmt.Errorf("public: BaseURL: %w", err)
	}
	rate := o.SubscribeRate
	if rate == 0 {
		rate = subscribeLimit
	}
	sub := &subscriptions{signup: o.Signup, canSend: o.CanSend, inboundToken: o.SMSInboundToken, smsFormat: o.SMSFormat,
		limit: throttle.New(s.clock, rate, time.Minute), origin: http.NewCrossOriginProtection(),
		baseOrigin: u.Scheme + "://" + u.Host}
	// Behind a proxy that rewrites Host, the site's own pages post with
	// the public origin.
	if err := sub.origin.AddTrustedOrigin(sub.baseOrigin); err != nil {
		return nil, fmt.Errorf("public: BaseURL as trusted origin: %w", err)
	}
	return sub, nil
}

// subRoute is one subscription route.
type subRoute struct {
	method, pattern string
	h               http.HandlerFunc
}

// subscriptionRoutes are the subscription routes. Routes lists the GET
// ones; every one is public.
func (s *Site) subscriptionRoutes() []subRoute {
	return []subRoute{
		{http.MethodGet, "/subscribe", s.subscribeForm},
		{http.MethodPost, "/subscribe", s.subscribe},
		{http.MethodGet, "/subscribe/code", s.codeForm},
		{http.MethodPost, "/subscribe/code", s.confirmCode},
		{http.MethodGet, "/subscribe/confirm", s.confirmForm},
		{http.MethodPost, "/subscribe/confirm", s.confirm},
		{http.MethodGet, "/unsubscribe/{token}", s.unsubscribeForm},
		{http.MethodPost, "/unsubscribe/{token}", s.unsubscribe},
		{http.MethodPost, "/sms/inbound/{token}", s.smsInbound},
	}
}

// subscriptionAuthz lists the GET subscription routes for the permission
// walk.
func (s *Site) subscriptionAuthz() []authz.Route {
	var out []authz.Route
	for _, r := range s.subscriptionRoutes() {
		if r.method == http.MethodGet {
			out = append(out, authz.Route{Method: r.method, Pattern: r.pattern, Public: true})
		}
	}
	return out
}

// registerSubscriptions adds the subscription routes to mux.
func (s *Site) registerSubscriptions(mux *http.ServeMux) {
	for _, r := range s.subscriptionRoutes() {
		mux.HandleFunc(r.method+" "+r.pattern, r.h)
	}
}

// subSameOrigin refuses a form posted from another site (cross-site request
// forgery): the browser's Sec-Fetch-Site or Origin must name this site,
// or, from a browser that sends neither, the Referer. A request with none
// of them comes from no browser and is let through. It answers 403 itself.
func (s *Site) subSameOrigin(w http.ResponseWriter, r *http.Request, lang string) bool {
	ok := s.subs.origin.Check(r) == nil
	if ok && r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
		if ref := r.Header.Get("Referer"); ref != "" {
			u, err := url.Parse(ref)
			ok = err == nil && (u.Scheme+"://"+u.Host == s.subs.baseOrigin || u.Host == r.Host)
		}
	}
	if !ok {
		s.subMessage(w, r, lang, http.StatusForbidden, "subscribe.forbidden.title", "subscribe.forbidden.text", "/subscribe")
	}
	return ok
}

// subAllowed counts a request of kind from the client's address, answering
// 429 with Retry-After when there were too many.
func (s *Site) subAllowed(w http.ResponseWriter, r *http.Request, lang, kind string) bool {
	ok, wait := s.subs.limit.Allow(kind + " " + session.ClientAddr(r))
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((wait+time.Second-1)/time.Second))))
		s.subMessage(w, r, lang, http.StatusTooManyRequests, "subscribe.limited.title", "subscribe.limited.text", "")
	}
	return ok
}

// readSubForm parses a posted form of bounded size; a malformed one is
// treated as empty, so that the form shows what is missing.
func readSubForm(w http.ResponseWriter, r *http.Request) url.Values {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return url.Values{}
	}
	return r.PostForm
}

// subscribeLang returns the reader's language, as the other pages choose
// it (the forms post with ?lang= so that the answer keeps it).
func (s *Site) subscribeLang(w http.ResponseWriter, r *http.Request) string {
	var lang string
	s.language(w, r, &lang)
	return lang
}

// withLangQuery appends the page's language to a form's action.
func withLangQuery(path, lang string) string {
	return path + "?" + url.Values{"lang": {lang}}.Encode()
}

// messageView is a page of one message and, maybe, a link onwards.
type messageView struct{ Title, Text, Link string }

// subMessage answers status with a page saying titleKey and textKey.
func (s *Site) subMessage(w http.ResponseWriter, r *http.Request, lang string, status int, titleKey, textKey, link string) {
	s.subRender(w, r, lang, status, "subscribe_message", titleKey, messageView{Title: titleKey, Text: textKey, Link: link})
}

// subRender renders a subscription page into a buffer and writes it with
// status. Nothing here may be stored by a shared or a private cache, framed
// by another site, or leak its URL (which may hold a token) as a Referer.
// The language links of a page answering a POST are left out: following
// one would lose what it shows, such as a webhook secret shown once.
func (s *Site) subRender(w http.ResponseWriter, r *http.Request, lang string, status int, name, titleKey string, data any) {
	tr := s.catalog.For(lang)
	p := page{Lang: lang, Title: tr.T(titleKey), CSS: s.cssPath, Mark: ExerciseMark, Data: data, tr: tr, loc: s.loc}
	// Who speaks, as on every page; the generic name if the profile
	// cannot be read, rather than no page.
	if org, _, err := s.org(r.Context(), tr); err == nil {
		p.Org = org
	} else {
		p.Org = orgView{Name: tr.T("public.site")}
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.Langs = s.queryLangLinks(r, lang)
	}
	var b bytes.Buffer
	err := fmt.Errorf("no page %q", name)
	if t, ok := s.pages[name]; ok {
		err = t.ExecuteTemplate(&b, "layout", p)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "public: render", "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", lang)
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	subNoStore(h)
	httpsec.SetPage(h)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

// subNoStore marks a response as not to be kept by any cache, and not to be
// sniffed or sent on as a Referer.
func subNoStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// queryLangLinks is the language switcher of a subscription page: the
// same page with its query (a confirmation token) kept.
func (s *Site) queryLangLinks(r *http.Request, lang string) []langLink {
	out := make([]langLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		q := r.URL.Query()
		q.Set("lang", l)
		out = append(out, langLink{Code: l, Label: s.catalog.For(l).T("language." + l),
			Href: r.URL.Path + "?" + q.Encode(), Current: l == lang})
	}
	return out
}

// subFailed answers an unexpected error: logged in full, shown generically.
func (s *Site) subFailed(w http.ResponseWriter, r *http.Request, lang string, err error) {
	s.log.ErrorContext(r.Context(), "public: subscription", "path", r.URL.Path, "err", err)
	s.subMessage(w, r, lang, http.StatusInternalServerError, "public.error", "public.error_text", "")
}

// pageCode pairs a page with the SMS code form, for the code-form
// template.
type pageCode struct {
	P page
	V codeView
}

// Code pairs the page with the SMS code form.
func (p page) Code(v codeView) pageCode { return pageCode{P: p, V: v} }
