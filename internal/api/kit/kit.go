// Package kit is what every room of the JSON API shares: the huma API and
// its OpenAPI 3.1 document, authentication (an API token, or the session
// cookie with its CSRF header), the permission guard, RFC 9457 problems,
// paging with RFC 8288 links, masking, and the JSON shapes several rooms
// use. A room declares each of its operations with Register, naming the
// action it needs; the kit records the route for the route walk, puts the
// guard in front and maps the handler's errors, so that handlers only
// call services and return domain errors.
package kit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/session"
	"crisisdesk/internal/throttle"
)

// Prefix is where the API lives; the app mounts the handler here.
const Prefix = "/api/v1"

// MaxBodyBytes bounds every request body but those of operations that
// declare a larger MaxBodyBytes (a subscriber import).
const MaxBodyBytes = 1 << 20

// Options are what the kit needs.
type Options struct {
	Sessions *session.Manager // who is calling; required
	Clock    clock.Clock      // for the public rate limit; nil for the wall clock
	Logger   *slog.Logger     // internal errors and panics; nil discards
	Version  string           // crisisdesk's version, shown in the OpenAPI document
	// PublicLimit is how many requests one client address may make a
	// minute to each public operation; 0 means 10.
	PublicLimit int
}

// Kit is the API under construction: rooms register their operations on
// it, then Finish makes it ready to serve.
type Kit struct {
	sessions   *session.Manager
	log        *slog.Logger
	public     *throttle.Window // public requests per operation and client address
	mux        *http.ServeMux
	huma       huma.API
	routes     []authz.Route
	bodyLimits map[string]int64 // paths allowed bodies over MaxBodyBytes
	errs       []error          // registration mistakes, reported by Finish
}

// New makes an empty kit.
func New(o Options) (*Kit, error) {
	if o.Sessions == nil {
		return nil, errors.New("kit: Sessions is required")
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.PublicLimit <= 0 {
		o.PublicLimit = 10
	}
	k := &Kit{
		sessions:   o.Sessions,
		log:        o.Logger,
		public:     throttle.New(o.Clock, o.PublicLimit, time.Minute),
		mux:        http.NewServeMux(),
		bodyLimits: map[string]int64{},
	}
	k.huma = humago.NewWithPrefix(k.mux, Prefix, config(o.Version))
	return k, nil
}

// OpenAPI is the document being built, for a room that documents what
// huma cannot infer (a multipart form) once its operation is registered.
func (k *Kit) OpenAPI() *huma.OpenAPI { return k.huma.OpenAPI() }

// Finish reports the registration mistakes, if any, and otherwise adds
// the OpenAPI document itself at /openapi.json and the answer for paths
// no operation matched. It is called once, after every room has
// registered.
func (k *Kit) Finish() error {
	if err := errors.Join(k.errs...); err != nil {
		return err
	}
	k.huma.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "get-openapi", Method: http.MethodGet, Path: "/openapi.json", Tags: []string{"meta"},
		Summary: "This OpenAPI document",
		Responses: map[string]*huma.Response{"200": {Description: "OpenAPI 3.1",
			Content: map[string]*huma.MediaType{"application/openapi+json": {}}}},
	})
	// Encoded once, when first asked for, not at start-up: the document
	// does not change after registration. A test encodes it at once.
	spec := sync.OnceValues(func() ([]byte, error) { return json.Marshal(k.huma.OpenAPI()) })
	k.Handle(http.MethodGet, "/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		b, err := spec()
		if err != nil {
			WriteProblem(w, k.problem(r.Context(), fmt.Errorf("encode OpenAPI document: %w", err)))
			return
		}
		w.Header().Set("Content-Type", "application/openapi+json")
		_, _ = w.Write(b)
	})
	k.mux.HandleFunc(Prefix+"/", k.notFound)
	return nil
}

// config is huma's configuration: OpenAPI 3.1, JSON only, no built-in docs,
// schema or spec routes (the spec is served by Finish so that it sits in
// the route table), and no $schema links in responses.
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

// Handler serves everything under /api/v1/: it bounds request bodies and
// turns a panic into a 500 problem.
func (k *Kit) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				k.log.ErrorContext(r.Context(), "api: panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				WriteProblem(w, ProblemOf(http.StatusInternalServerError, "internal error"))
			}
		}()
		limit, ok := k.bodyLimits[r.URL.Path]
		if !ok {
			limit = MaxBodyBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		k.mux.ServeHTTP(w, r)
	})
}

// Routes returns the route table: every operation with what it needs.
func (k *Kit) Routes() []authz.Route { return append([]authz.Route(nil), k.routes...) }

// Handle registers a plain public handler, outside huma, in the route
// table.
func (k *Kit) Handle(method, path string, h http.HandlerFunc) {
	k.routes = append(k.routes, authz.Route{Method: method, Pattern: Prefix + path, Public: true})
	k.mux.HandleFunc(method+" "+Prefix+path, h)
}

// probeMethods are the methods tried to tell 405 from 404.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// notFound answers every request no operation matched: 405 with Allow when
// the path exists under another method, 404 otherwise.
func (k *Kit) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := *r
		probe.Method = m
		if _, pattern := k.mux.Handler(&probe); pattern != "" && pattern != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		WriteProblem(w, ProblemOf(http.StatusNotFound, "no such API path: "+r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	WriteProblem(w, ProblemOf(http.StatusMethodNotAllowed, r.Method+" is not allowed here"))
}
