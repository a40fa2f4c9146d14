// Package kit is what every room of the staff UI is built on: the route
// row and its one middleware chain (who is asking, in which language,
// forged posts, forced password change and second factor, the route's
// permission, body limits), rendering (the layout, shared partials and
// fingerprinted static files; one template set per language holding every
// room's pages), forms and their errors, paging, time formats, exports and
// live streams.
//
// A room (web/plans, web/crises, …) is a package with its own templates
// and a Routes method listing its rows; package web assembles the rooms on
// one Kit. A room never reaches into another room.
package kit

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/clock"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
)

// Paths the kit itself needs: where the desk starts, where strangers sign
// in, and the pages a user who must change a password or set up a second
// factor is held on.
const (
	DeskPath     = "/desk"                  // the dashboard, where signing in lands
	SignInPath   = "/signin"                // the sign-in page
	SignOutPath  = "/signout"               // ends the session
	PasswordPath = "/desk/account/password" // the own-password change
	MFAPath      = "/desk/account/mfa"      // the own second factor
	LanguagePath = "/desk/account/language" // the language picker's form
)

// Options are what the kit needs.
type Options struct {
	Catalog  *i18n.Catalog
	Sessions *session.Manager
	Live     *live.Broker // the change events live pages stream
	Clock    clock.Clock  // default the real clock
	// Location is where pages show times; nil is UTC.
	Location *time.Location
	Logger   *slog.Logger
	Version  string // shown in the footer
	// BaseURL is the address people use, for the absolute links print
	// views write on paper; empty writes none.
	BaseURL string
	// Nav is the main menu, in order.
	Nav []NavItem
	// Pages are every room's templates and confirmations.
	Pages []Pages
}

// Kit renders pages and runs the chain for every room.
type Kit struct {
	catalog  *i18n.Catalog
	sessions *session.Manager
	live     *live.Broker
	clock    clock.Clock
	loc      *time.Location
	baseURL  string
	log      *slog.Logger
	version  string
	nav      []NavItem
	flashes  map[string]string
	assets   *assets
	views    *views
	notFound http.Handler
}

// New parses the layout, the partials and every room's pages once per
// language and fingerprints the static files, so that a broken template
// stops startup instead of a page.
func New(o Options) (*Kit, error) {
	switch {
	case o.Catalog == nil:
		return nil, errors.New("kit: Options.Catalog is required")
	case o.Sessions == nil:
		return nil, errors.New("kit: Options.Sessions is required")
	case o.Live == nil:
		return nil, errors.New("kit: Options.Live is required")
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	k := &Kit{catalog: o.Catalog, sessions: o.Sessions, live: o.Live, clock: o.Clock, loc: o.Location,
		log: o.Logger, version: o.Version, nav: o.Nav, flashes: map[string]string{}}
	for _, p := range o.Pages {
		for done, key := range p.Flashes {
			if prev, dup := k.flashes[done]; dup && prev != key {
				return nil, fmt.Errorf("kit: ?done=%s means both %s and %s", done, prev, key)
			}
			k.flashes[done] = key
		}
	}
	var err error
	k.baseURL = strings.TrimRight(o.BaseURL, "/")
	if k.assets, err = loadAssets(k.baseURL); err != nil {
		return nil, err
	}
	if k.views, err = parseViews(o.Catalog, k.assets, k.loc, o.Pages); err != nil {
		return nil, err
	}
	k.notFound = k.identify(k.locale(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.ErrorPage(w, r, http.StatusNotFound)
	})))
	return k, nil
}

// For is the translator of lang, for what is written for someone other
// than the reader (a calendar read through a person's link).
func (k *Kit) For(lang string) i18n.Translator { return k.catalog.For(lang) }

// BaseURL is the configured address people use (no trailing slash), for
// absolute links written into documents that leave the page: calendars,
// print views. Never the request's Host, which a visitor chooses.
func (k *Kit) BaseURL() string { return k.baseURL }

// T returns the request's translator; before the chain has chosen one (an
// early error page) it negotiates one itself.
func (k *Kit) T(r *http.Request) i18n.Translator {
	if tr, ok := r.Context().Value(translatorKey{}).(i18n.Translator); ok {
		return tr
	}
	return k.catalog.For(k.negotiate(r))
}

// Now is the app's time.
func (k *Kit) Now() time.Time { return k.clock.Now() }

// FormatTime shows t as the pages do: to the minute in the office's zone,
// with the zone named.
func (k *Kit) FormatTime(t time.Time) string { return FormatTime(t, k.loc) }

// Location is the office's time zone, in which forms read the times
// people type.
func (k *Kit) Location() *time.Location {
	if k.loc == nil {
		return time.UTC
	}
	return k.loc
}

// Logger is where rooms log what a page cannot show.
func (k *Kit) Logger() *slog.Logger { return k.log }

// NotFound writes the translated 404 page, for paths no surface serves.
func (k *Kit) NotFound(w http.ResponseWriter, r *http.Request) { k.notFound.ServeHTTP(w, r) }
