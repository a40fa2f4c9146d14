// Package api is crisisdesk's JSON API under /api/v1. Operations are
// declared with huma, which generates the OpenAPI 3.1 document from the code;
// every operation declares the action it needs in routes.go, and every error
// leaves as RFC 9457 application/problem+json.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/throttle"
)

// Prefix is where the API lives; the app mounts Handler here.
const Prefix = "/api/v1"

// maxBodyBytes bounds every request body but a few declared larger
// (a subscriber import).
const maxBodyBytes = 1 << 20

// Options are the API's dependencies.
type Options struct {
	Accounts account.Service
	Audit    audit.Service
	Sessions *session.Manager
	Plans    plan.Service
	Crises   crisis.Service
	Notices  notice.Service   // nil: the notice operations answer 503
	Chinese  *hanzi.Converter // Traditional ⇄ Simplified; nil: conversion answers 503
	Live     *live.Broker     // the crisis event streams
	Clock    clock.Clock      // tells clock states; nil for the wall clock
	Logger   *slog.Logger
	Version  string // crisisdesk's version, shown in the OpenAPI document

	// Signup is the way in for subscriptions; its Service also serves the
	// staff's subscriber operations, and its CheckURL and NewSecret the
	// registered webhook endpoints. A nil Service: those operations answer
	// 503.
	Signup subscriber.Signup
	// Endpoints are the registered webhook endpoints; nil: 503.
	Endpoints subscriber.Endpoints
	// Deliveries is the delivery log (progress, retries, the staff inbox);
	// nil: 503.
	Deliveries delivery.Log
	// ParseSecret checks a webhook signing secret given by a caller
	// ("whsec_…"); nil checks the prefix only.
	ParseSecret func(secret string) ([]byte, error)
	// SubscribeLimit is how many public subscription requests (subscribe,
	// confirm, unsubscribe, each counted apart) one client address may
	// make a minute; 0 means 10.
	SubscribeLimit int
}

// API serves /api/v1.
type API struct {
	accounts account.Service
	audit    audit.Service
	sessions *session.Manager
	plans    plan.Service
	crises   crisis.Service
	notices  notice.Service
	chinese  *hanzi.Converter
	live     *live.Broker
	clock    clock.Clock
	log      *slog.Logger

	signup      subscriber.Signup
	endpoints   subscriber.Endpoints
	deliveries  delivery.Log
	parseSecret func(string) ([]byte, error)
	public      *throttle.Window // public subscription requests per client address

	mux        *http.ServeMux
	huma       huma.API
	routes     []authz.Route
	bodyLimits map[string]int64 // paths allowed bodies over maxBodyBytes
	errs       []error          // registration mistakes, reported by New
}

// New builds the API and registers every operation.
func New(opts Options) (*API, error) {
	switch {
	case opts.Accounts == nil:
		return nil, errors.New("api: Accounts is required")
	case opts.Audit == nil:
		return nil, errors.New("api: Audit is required")
	case opts.Sessions == nil:
		return nil, errors.New("api: Sessions is required")
	case opts.Plans == nil:
		return nil, errors.New("api: Plans is required")
	case opts.Crises == nil:
		return nil, errors.New("api: Crises is required")
	case opts.Live == nil:
		return nil, errors.New("api: Live is required")
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.SubscribeLimit <= 0 {
		opts.SubscribeLimit = 10
	}
	a := &API{
		accounts: opts.Accounts,
		audit:    opts.Audit,
		sessions: opts.Sessions,
		plans:    opts.Plans,
		crises:   opts.Crises,
		notices:  opts.Notices,
		chinese:  opts.Chinese,
		live:     opts.Live,
		clock:    opts.Clock,
		log:      opts.Logger,

		signup:      opts.Signup,
		endpoints:   opts.Endpoints,
		deliveries:  opts.Deliveries,
		parseSecret: opts.ParseSecret,
		public:      throttle.New(opts.Clock, opts.SubscribeLimit, time.Minute),

		bodyLimits: map[string]int64{},
		mux:        http.NewServeMux(),
	}
	a.huma = humago.NewWithPrefix(a.mux, Prefix, config(opts.Version))
	a.register()
	if err := errors.Join(a.errs...); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	a.huma.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "get-openapi", Method: http.MethodGet, Path: "/openapi.json", Tags: []string{"meta"},
		Summary: "This OpenAPI document",
		Responses: map[string]*huma.Response{"200": {Description: "OpenAPI 3.1",
			Content: map[string]*huma.MediaType{"application/openapi+json": {}}}},
	})
	// Built once: the document does not change after registration.
	spec, err := json.Marshal(a.huma.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("api: encode OpenAPI document: %w", err)
	}
	a.handle(http.MethodGet, "/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/openapi+json")
		_, _ = w.Write(spec)
	})
	a.mux.HandleFunc(Prefix+"/", a.notFound)
	return a, nil
}

// config is huma's configuration: OpenAPI 3.1, JSON only, no built-in docs,
// schema or spec routes (the spec is served in New so that it sits in the
// route table), and no $schema links in responses.
func config(version string) huma.Config {
	c := huma.DefaultConfig("crisisdesk", version)
	c.OpenAPIPath, c.DocsPath, c.SchemasPath = "", "", ""
	c.CreateHooks = nil
	c.Formats = map[string]huma.Format{
		"application/json": escapedJSON,
		"json":             escapedJSON,
	}
	c.Info.Description = "The crisisdesk API. Authenticate with an API token (`Authorization: Bearer …`) " +
		"or the session cookie; with the cookie, state-changing requests also need the `X-CSRF-Token` header. " +
		"Errors are RFC 9457 problem details."
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token; its secret is shown once, when it is made."},
		"cookie": {Type: "apiKey", In: "cookie", Name: session.CookieName,
			Description: "The staff UI's session; state-changing requests need the " + session.CSRFHeader + " header."},
	}
	c.Transformers = []huma.Transformer{tidyProblem}
	return c
}

// escapedJSON is huma's JSON format with HTML escaping put back: <, > and &
// in text (a notice's <script>, say) leave as \u003c, \u003e and \u0026,
// so that no response can be read as markup, whatever a client makes of it.
var escapedJSON = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		return json.NewEncoder(w).Encode(v)
	},
	Unmarshal: json.Unmarshal,
}

// Handler serves everything under /api/v1/.
func (a *API) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.ErrorContext(r.Context(), "api: panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				writeProblem(w, problemOf(http.StatusInternalServerError, "internal error"))
			}
		}()
		limit, ok := a.bodyLimits[r.URL.Path]
		if !ok {
			limit = maxBodyBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		a.mux.ServeHTTP(w, r)
	})
}

// Routes returns the route table: every operation with the action it needs.
func (a *API) Routes() []authz.Route { return append([]authz.Route(nil), a.routes...) }

// handle registers a plain public handler, outside huma, in the route table.
func (a *API) handle(method, path string, h http.HandlerFunc) {
	a.routes = append(a.routes, authz.Route{Method: method, Pattern: Prefix + path, Public: true})
	a.mux.HandleFunc(method+" "+Prefix+path, h)
}

// probeMethods are the methods tried to tell 405 from 404.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// notFound answers every request no operation matched: 405 with Allow when
// the path exists under another method, 404 otherwise.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := *r
		probe.Method = m
		if _, pattern := a.mux.Handler(&probe); pattern != "" && pattern != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		writeProblem(w, problemOf(http.StatusNotFound, "no such API path: "+r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeProblem(w, problemOf(http.StatusMethodNotAllowed, r.Method+" is not allowed here"))
}
