package web

import (
	"bytes"
	"encoding/json"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
)

// page is what the layout needs; Data is the page's own view.
type page struct {
	Lang      string
	User      *account.User
	CSRF      string
	HXHeaders string // JSON for hx-headers, so htmx posts carry the CSRF token
	Nav       []navLink
	Languages []languageOption
	Here      string // this page's path and query, where the language form returns
	Flash     string // a translated one-line confirmation
	Version   string
	Data      any
}

type navLink struct {
	Label  string
	Href   string
	ID     string
	Active bool
	Badge  int // a count shown beside the label: the unread inbox
}

type languageOption struct {
	Code     string
	Label    string
	Selected bool
}

// navItems are the main menu; each appears only to roles that may use it.
var navItems = []struct {
	key, href, id string
	action        authz.Action
}{
	{"nav.dashboard", deskPath, "nav-dashboard", authz.ViewDashboard},
	{"nav.crises", "/desk/crises", "nav-crises", authz.ViewCrises},
	{"nav.notices", "/desk/notices", "nav-notices", authz.ViewNotices},
	{"nav.inbox", inboxPath, "nav-inbox", authz.ReadInternalNotice},
	{"nav.plans", "/plans", "nav-plans", authz.ViewPlans},
	{"nav.catalog", "/catalog", "nav-catalog", authz.ViewPlans},
	{"nav.users", "/admin/users", "nav-users", authz.ViewUsers},
	{"nav.departments", "/admin/departments", "nav-departments", authz.ViewDepartments},
	{"nav.audit", "/admin/audit", "nav-audit", authz.ViewAudit},
	{"nav.subscribers", subscribersPath, "nav-subscribers", authz.ViewSubscribers},
	{"nav.webhooks", webhooksPath, "nav-webhooks", authz.ManageWebhooks},
	{"nav.channels", channelsPath, "nav-channels", authz.TestChannels},
}

// translator returns the request's translator; before the locale
// middleware has run (an early error page) it negotiates one itself.
func (h *Handler) translator(r *http.Request) i18n.Translator {
	if tr, ok := r.Context().Value(translatorKey{}).(i18n.Translator); ok {
		return tr
	}
	return h.catalog.For(h.negotiate(r))
}

// render executes a page into a buffer and only then writes it, so that a
// template error becomes a clean 500 page instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	buf, err := h.execute(w, r, name, data)
	if err != nil {
		h.log.ErrorContext(r.Context(), "web: render", "template", name, "err", err)
		if name != "error" {
			h.errorPage(w, r, http.StatusInternalServerError)
			return
		}
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	h.writeHTML(w, status, buf)
}

// writeHTML writes a rendered page or fragment with the UI's security
// headers.
func (h *Handler) writeHTML(w http.ResponseWriter, status int, buf *bytes.Buffer) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	httpsec.SetPage(hd)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, name string, data any) (*bytes.Buffer, error) {
	return h.executePart(w, r, name, "", data)
}

// executePart renders part of page name ("": the whole page).
func (h *Handler) executePart(w http.ResponseWriter, r *http.Request, name, part string, data any) (*bytes.Buffer, error) {
	tr := h.translator(r)
	t, whole, err := h.views.lookup(tr.Lang(), name)
	if err != nil {
		return nil, err
	}
	if part == "" {
		part = whole
	}
	p := h.pageOf(w, r, tr, data)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, p); err != nil {
		return nil, err
	}
	return &buf, nil
}

// renderPart writes one fragment of a page, with the same headers as a
// page.
func (h *Handler) renderPart(w http.ResponseWriter, r *http.Request, status int, name, part string, data any) {
	buf, err := h.executePart(w, r, name, part, data)
	if err != nil {
		h.log.ErrorContext(r.Context(), "web: render", "template", name, "part", part, "err", err)
		h.errorPage(w, r, http.StatusInternalServerError)
		return
	}
	h.writeHTML(w, status, buf)
}

func (h *Handler) pageOf(w http.ResponseWriter, r *http.Request, tr i18n.Translator, data any) page {
	p := page{Lang: tr.Lang(), CSRF: h.sessions.CSRFToken(w, r), Here: r.URL.RequestURI(), Version: h.version, Data: data}
	hx, _ := json.Marshal(map[string]string{session.CSRFHeader: p.CSRF})
	p.HXHeaders = string(hx)
	if key, ok := flashes[r.URL.Query().Get("done")]; ok && r.Method == http.MethodGet {
		p.Flash = tr.T(key)
	}
	if id, ok := session.From(r.Context()); ok {
		u := id.User
		p.User = &u
		for _, it := range navItems {
			if !u.MustChangePassword && !id.MustEnrol() && authz.Can(u.Role, it.action) {
				link := navLink{Label: tr.T(it.key), Href: it.href, ID: it.id, Active: isUnder(r.URL.Path, it.href)}
				if it.href == inboxPath {
					link.Badge = h.unread(r, u.ID)
				}
				p.Nav = append(p.Nav, link)
			}
		}
	}
	for _, code := range i18n.Languages {
		p.Languages = append(p.Languages, languageOption{Code: code, Label: tr.T("language." + code), Selected: code == tr.Lang()})
	}
	return p
}

func isUnder(p, href string) bool {
	if href == deskPath { // the desk holds every page; its link marks the dashboard only
		return p == deskPath
	}
	return p == href || len(p) > len(href) && p[:len(href)+1] == href+"/"
}

// flashes are the confirmations a redirect may ask for with ?done=.
var flashes = map[string]string{
	"saved":              "flash.saved",
	"created":            "flash.created",
	"deleted":            "flash.deleted",
	"disabled":           "flash.disabled",
	"enabled":            "flash.enabled",
	"password_changed":   "flash.password_changed",
	"declared":           "flash.declared",
	"activated":          "flash.activated",
	"level":              "flash.level",
	"recovering":         "flash.recovering",
	"closed":             "flash.closed",
	"noted":              "flash.noted",
	"submitted":          "flash.submitted",
	"reviewed":           "flash.reviewed",
	"approved":           "flash.approved",
	"returned":           "flash.returned",
	"new_version":        "flash.new_version",
	"alerts_read":        "flash.alerts_read",
	"notice_created":     "flash.notice_created",
	"notice_submitted":   "flash.notice_submitted",
	"notice_approved":    "flash.notice_approved",
	"notice_returned":    "flash.notice_returned",
	"notice_published":   "flash.notice_published",
	"notice_reviewed":    "flash.notice_reviewed",
	"subscriber_deleted": "flash.subscriber_deleted",
	"webhook_paused":     "flash.webhook_paused",
	"webhook_resumed":    "flash.webhook_resumed",
	"webhook_deleted":    "flash.webhook_deleted",
	"mfa_disabled":       "flash.mfa_disabled",
	"mfa_reset":          "flash.mfa_reset",
	"recovery_used":      "flash.recovery_used",
}

// errorView is the body of an error page.
type errorView struct {
	Status  int
	Title   string
	Message string
}

// errorPage writes the translated page for an HTTP error status.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	h.errorPageKey(w, r, status, "")
}

// errorPageKey writes an error page; messageKey, when given, replaces the
// status's usual explanation.
func (h *Handler) errorPageKey(w http.ResponseWriter, r *http.Request, status int, messageKey string) {
	tr := h.translator(r)
	v := errorView{Status: status}
	switch status {
	case http.StatusBadRequest:
		v.Title, v.Message = tr.T("error.400.title"), tr.T("error.400.message")
	case http.StatusForbidden:
		v.Title, v.Message = tr.T("error.403.title"), tr.T("error.403.message")
	case http.StatusNotFound:
		v.Title, v.Message = tr.T("error.404.title"), tr.T("error.404.message")
	case http.StatusConflict:
		v.Title, v.Message = tr.T("error.409.title"), tr.T("error.409.message")
	case http.StatusRequestEntityTooLarge:
		v.Title, v.Message = tr.T("error.413.title"), tr.T("error.413.message")
	case http.StatusTooManyRequests:
		v.Title, v.Message = tr.T("error.429.title"), tr.T("error.429.message")
	case http.StatusServiceUnavailable:
		v.Title, v.Message = tr.T("error.503.title"), tr.T("error.503.message")
	default:
		v.Title, v.Message = tr.T("error.500.title"), tr.T("error.500.message")
	}
	if messageKey != "" {
		v.Message = tr.T(messageKey)
	}
	h.render(w, r, status, "error", v)
}

// fail answers a service error that the page cannot show beside a field.
// Unknown errors are logged in full and shown as a generic 500.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch fault.CodeOf(err) {
	case fault.NotFound:
		h.errorPage(w, r, http.StatusNotFound)
	case fault.Forbidden:
		h.errorPage(w, r, http.StatusForbidden)
	case fault.Unauthenticated:
		h.toSignIn(w, r)
	case fault.TooManyRequests:
		h.errorPage(w, r, http.StatusTooManyRequests)
	case fault.Conflict:
		h.errorPage(w, r, http.StatusConflict)
	case fault.Invalid:
		h.errorPage(w, r, http.StatusBadRequest)
	case fault.Unavailable:
		h.errorPage(w, r, http.StatusServiceUnavailable)
	default:
		h.log.ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		h.errorPage(w, r, http.StatusInternalServerError)
	}
}
