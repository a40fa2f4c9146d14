package kit

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
)

// Pages are one room's templates and the confirmations its redirects ask
// for, which New parses with the layout.
type Pages struct {
	Room string // the room's name, for errors
	// Templates holds the room's pages, one file each at its root
	// (NAME.html defines "title" and "content", and the page is rendered
	// by that NAME), and the parts only it uses in partials/*.html. Every
	// template name must be unique across the rooms.
	Templates fs.FS
	// Flashes maps a ?done= value the room's redirects carry to the
	// message key of the confirmation shown after them.
	Flashes map[string]string
}

// NavItem is an entry of the main menu, shown to the roles that may use
// it.
type NavItem struct {
	Key    string // the label's message key
	Href   string
	ID     string
	Action authz.Action
	// Badge, when set, counts something beside the label (the unread
	// inbox); 0 shows nothing.
	Badge func(r *http.Request, userID int64) int
	// BadgeKey words the count for screen readers ({{.Count}}); default
	// the inbox's "unread".
	BadgeKey string
	// LiveSrc, when set, is where the live pages fetch the badge again
	// (the "nav-count" part) when their stream says something changed.
	LiveSrc string
}

// NavCount is a menu entry's badge alone: the "nav-count" part, which a
// LiveSrc answers.
type NavCount struct {
	ID       string
	Badge    int
	BadgeKey string
	LiveSrc  string
}

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
	// Errors is the error summary of a page whose form came back with
	// errors (Form); the title then starts with "Error:".
	Errors  []summaryItem
	Version string
	Data    any
}

type navLink struct {
	Label  string
	Href   string
	ID     string
	Active bool
	Count  NavCount
}

type languageOption struct {
	Code     string
	Label    string
	Selected bool
}

// Render executes page name into a buffer and only then writes it, so
// that a template error becomes a clean 500 page instead of half a page.
// data is the page's own view, .Data in its template.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	buf, err := k.ExecutePart(w, r, name, "", data)
	if err != nil {
		k.log.ErrorContext(r.Context(), "web: render", "template", name, "err", err)
		if name != errorPage {
			k.ErrorPage(w, r, http.StatusInternalServerError)
			return
		}
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	k.WriteHTML(w, r, status, buf)
}

// RenderPart writes one template, part, of page name without the layout:
// a fragment the pages' script fetches. It has the headers of a page.
func (k *Kit) RenderPart(w http.ResponseWriter, r *http.Request, status int, name, part string, data any) {
	buf, err := k.ExecutePart(w, r, name, part, data)
	if err != nil {
		k.log.ErrorContext(r.Context(), "web: render", "template", name, "part", part, "err", err)
		k.ErrorPage(w, r, http.StatusInternalServerError)
		return
	}
	k.WriteHTML(w, r, status, buf)
}

// ExecutePart renders template part of page name ("": the whole page)
// into a buffer, for a page that writes it itself (a download).
func (k *Kit) ExecutePart(w http.ResponseWriter, r *http.Request, name, part string, data any) (*bytes.Buffer, error) {
	tr := k.T(r)
	t, whole, err := k.views.lookup(tr.Lang(), name)
	if err != nil {
		return nil, err
	}
	if part == "" {
		part = whole
	}
	p := k.pageOf(w, r, tr, data)
	var buf bytes.Buffer
	if f, ok := data.(Form); ok && part == whole && len(f.FormErrors()) > 0 {
		// The summary needs the page's fields: where they stand and how
		// they are labelled. So the content is made once to read them,
		// and the page again with the summary (only when a form came
		// back with errors; html/template cannot run the layout's parts
		// apart, as the title is open between them).
		if err := t.ExecuteTemplate(&buf, "content:"+name, p); err != nil {
			return nil, err
		}
		p.Errors = summarize(tr, f.FormErrors(), buf.String())
		buf.Reset()
	}
	if err := t.ExecuteTemplate(&buf, part, p); err != nil {
		return nil, err
	}
	return &buf, nil
}

// WriteHTML writes a rendered page or fragment for r with the UI's
// headers: never cached, never sniffed, the one Content-Security-Policy,
// gzip-compressed when r takes it.
func (k *Kit) WriteHTML(w http.ResponseWriter, r *http.Request, status int, buf *bytes.Buffer) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	httpsec.SetPage(hd)
	writeBody(w, r, status, buf.Bytes())
}

func (k *Kit) pageOf(w http.ResponseWriter, r *http.Request, tr i18n.Translator, data any) page {
	p := page{Lang: tr.Lang(), CSRF: k.sessions.CSRFToken(w, r), Here: r.URL.RequestURI(), Version: k.version, Data: data}
	hx, _ := json.Marshal(map[string]string{session.CSRFHeader: p.CSRF})
	p.HXHeaders = string(hx)
	if key, ok := k.flashes[r.URL.Query().Get("done")]; ok && r.Method == http.MethodGet {
		p.Flash = tr.T(key)
	}
	if id, ok := session.From(r.Context()); ok {
		u := id.User
		p.User = &u
		for _, it := range k.nav {
			if !u.MustChangePassword && !id.MustEnrol() && authz.Can(u.Role, it.Action) {
				link := navLink{Label: tr.T(it.Key), Href: it.Href, ID: it.ID, Active: isUnder(r.URL.Path, it.Href),
					Count: NavCount{ID: it.ID, BadgeKey: it.BadgeKey, LiveSrc: it.LiveSrc}}
				if link.Count.BadgeKey == "" {
					link.Count.BadgeKey = "inbox.unread_n"
				}
				if it.Badge != nil {
					link.Count.Badge = it.Badge(r, u.ID)
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
	if href == DeskPath { // the desk holds every page; its link marks the dashboard only
		return p == DeskPath
	}
	return p == href || len(p) > len(href) && p[:len(href)+1] == href+"/"
}
