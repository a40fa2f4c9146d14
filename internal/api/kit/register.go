package kit

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
)

// Access is what an operation needs. Make it with Public, SignedIn or Can;
// the zero value is refused, so no operation goes without a declared need.
type Access struct {
	action   authz.Action
	signedIn bool
	public   bool
}

// Public lets anybody through, signed in or not, within the public rate
// limit per client address.
var Public = Access{public: true}

// SignedIn lets any signed-in person through, whatever their role.
var SignedIn = Access{signedIn: true}

// Can lets through those whose role may take action.
func Can(action authz.Action) Access { return Access{action: action} }

func (acc Access) check() error {
	switch {
	case acc.public && (acc.signedIn || acc.action != ""):
		return fmt.Errorf("declares public and a need to sign in")
	case acc.public:
		return nil
	case acc.signedIn && acc.action != "":
		return fmt.Errorf("declares both signedIn and action %q", acc.action)
	case acc.signedIn:
		return nil
	case acc.action == "":
		return fmt.Errorf("declares no action")
	case !slices.Contains(authz.Actions(), acc.action):
		return fmt.Errorf("action %q is not in the permission matrix", acc.action)
	}
	return nil
}

// Register adds one operation of a room: it records the route with what
// it needs, documents its security and errors, puts the guard in front of
// it and maps the handler's errors to problems, so a handler only returns
// domain errors. A mistake in the declaration is reported by Finish.
func Register[I, O any](k *Kit, acc Access, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if err := acc.check(); err != nil {
		k.errs = append(k.errs, fmt.Errorf("%s %s: %w", op.Method, op.Path, err))
		return
	}
	defer func() {
		// huma panics on malformed operation types; make it Finish's error.
		if v := recover(); v != nil {
			k.errs = append(k.errs, fmt.Errorf("%s %s: %v", op.Method, op.Path, v))
		}
	}()
	if op.MaxBodyBytes > MaxBodyBytes {
		k.bodyLimits[Prefix+op.Path] = op.MaxBodyBytes
	} else {
		op.MaxBodyBytes = MaxBodyBytes
	}
	if acc.public {
		op.Middlewares = append(op.Middlewares, k.throttle(op.Path))
		op.Security = []map[string][]string{}
		op.Errors = append([]int{http.StatusTooManyRequests}, op.Errors...)
		op.Description = "No sign-in. Each client address may call it a few times a minute; beyond that it answers 429 with Retry-After."
	} else {
		op.Middlewares = append(op.Middlewares, k.guard(acc))
		op.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
		op.Errors = append([]int{http.StatusUnauthorized, http.StatusForbidden}, op.Errors...)
	}
	if acc.action != "" {
		op.Extensions = map[string]any{"x-crisisdesk-action": acc.action}
		op.Description = "Needs the permission " + string(acc.action) + "."
	}
	huma.Register(k.huma, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, k.problem(ctx, err)
		}
		return out, nil
	})
	k.routes = append(k.routes, authz.Route{Method: op.Method, Pattern: Prefix + op.Path,
		Action: acc.action, SignedIn: acc.signedIn, Public: acc.public})
}

// throttle limits a public operation to so many requests a minute from
// one client address, counted per operation, before the body is read.
func (k *Kit) throttle(path string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		if ok, wait := k.public.Allow(path + " " + session.ClientAddr(r)); !ok {
			secs := max(int(wait.Round(time.Second).Seconds()), 1)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			WriteProblem(w, ProblemOf(http.StatusTooManyRequests,
				fmt.Sprintf("too many requests from your address: try again in %d seconds", secs)))
			return
		}
		next(ctx)
	}
}

// guard identifies the caller by token or cookie, checks the CSRF token of
// cookie requests, and checks the permission matrix. It runs before the body
// is read, so nobody unknown gets to send one.
func (k *Kit) guard(acc Access) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		id, err := k.sessions.Identify(r)
		if err == nil && !id.ByToken {
			err = k.sessions.CheckCSRF(r)
		}
		if err == nil && !id.ByToken && id.User.MustChangePassword && !acc.signedIn {
			// As in the UI: a browser session that must change its
			// password may only read who it is until it has.
			err = fault.New(fault.Forbidden, "you must change your password before using crisisdesk")
		}
		if err == nil && id.MustEnrol() && !acc.signedIn {
			// Likewise a browser whose role needs a second factor it has
			// not set up yet. API tokens are single-factor by design.
			err = fault.New(fault.Forbidden, "you must set up two-step sign-in before using crisisdesk")
		}
		if err == nil && acc.action != "" {
			err = authz.Require(id.User.Actor(authz.SourceAPI), acc.action)
		}
		if err != nil {
			p := k.problem(r.Context(), err)
			if p.Status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="crisisdesk"`)
			}
			WriteProblem(w, p)
			return
		}
		next(huma.WithContext(ctx, session.With(ctx.Context(), id)))
	}
}

// Actor is the caller as an actor for the services. Everything through
// the API is recorded as coming from the API, whatever the credential.
func Actor(ctx context.Context) authz.Actor {
	id, _ := session.From(ctx)
	return id.User.Actor(authz.SourceAPI)
}

// Caller is the signed-in identity of the request.
func Caller(ctx context.Context) session.Identity {
	id, _ := session.From(ctx)
	return id
}
