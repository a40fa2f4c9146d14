package api

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

// register declares every operation of the API. Each names what it needs —
// public, signedIn, or can(action) from the permission matrix — and register refuses
// an operation that does not, so the route table (Routes) and the checks made
// on each request cannot drift apart.
func (a *API) register() {
	const (
		get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	)
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created := http.StatusCreated

	register(a, signedIn, op{OperationID: "get-me", Method: get, Path: "/me", Tags: []string{"me"},
		Summary: "The signed-in user"}, a.getMe)

	register(a, can(authz.ViewUsers), op{OperationID: "list-users", Method: get, Path: "/users", Tags: []string{"users"},
		Summary: "List users"}, a.listUsers)
	register(a, can(authz.ManageUsers), op{OperationID: "create-user", Method: post, Path: "/users", Tags: []string{"users"},
		Summary: "Create a user", DefaultStatus: http.StatusCreated, Errors: []int{cf}}, a.createUser)
	register(a, can(authz.ViewUsers), op{OperationID: "get-user", Method: get, Path: "/users/{id}", Tags: []string{"users"},
		Summary: "Get a user", Errors: []int{nf}}, a.getUser)
	register(a, can(authz.ManageUsers), op{OperationID: "update-user", Method: patch, Path: "/users/{id}", Tags: []string{"users"},
		Summary: "Change a user", Errors: []int{nf, cf}}, a.updateUser)
	register(a, can(authz.ManageUsers), op{OperationID: "disable-user", Method: post, Path: "/users/{id}/disable", Tags: []string{"users"},
		Summary: "Disable a user: their sessions and tokens stop working", Errors: []int{nf}}, a.disableUser)
	register(a, can(authz.ManageUsers), op{OperationID: "enable-user", Method: post, Path: "/users/{id}/enable", Tags: []string{"users"},
		Summary: "Enable a disabled user", Errors: []int{nf}}, a.enableUser)

	register(a, can(authz.ViewDepartments), op{OperationID: "list-departments", Method: get, Path: "/departments", Tags: []string{"departments"},
		Summary: "List departments"}, a.listDepartments)
	register(a, can(authz.ManageDepartment), op{OperationID: "create-department", Method: post, Path: "/departments", Tags: []string{"departments"},
		Summary: "Create a department", DefaultStatus: http.StatusCreated, Errors: []int{cf}}, a.createDepartment)
	register(a, can(authz.ViewDepartments), op{OperationID: "get-department", Method: get, Path: "/departments/{id}", Tags: []string{"departments"},
		Summary: "Get a department", Errors: []int{nf}}, a.getDepartment)
	register(a, can(authz.ManageDepartment), op{OperationID: "update-department", Method: patch, Path: "/departments/{id}", Tags: []string{"departments"},
		Summary: "Change a department", Errors: []int{nf, cf}}, a.updateDepartment)
	register(a, can(authz.ManageDepartment), op{OperationID: "delete-department", Method: del, Path: "/departments/{id}", Tags: []string{"departments"},
		Summary: "Delete a department that nobody belongs to", DefaultStatus: http.StatusNoContent, Errors: []int{nf, cf}}, a.deleteDepartment)

	register(a, can(authz.ViewAudit), op{OperationID: "list-audit", Method: get, Path: "/audit", Tags: []string{"audit"},
		Summary: "List the audit trail, newest first"}, a.listAudit)

	ct := []string{"crisis types"}
	register(a, can(authz.ViewPlans), op{OperationID: "list-crisis-types", Method: get, Path: "/crisis-types", Tags: ct,
		Summary: "List the crisis type catalogue"}, a.listCrisisTypes)
	register(a, can(authz.ManageCatalog), op{OperationID: "create-crisis-type", Method: post, Path: "/crisis-types", Tags: ct,
		Summary: "Add a crisis type", DefaultStatus: created, Errors: []int{cf}}, a.createCrisisType)
	register(a, can(authz.ViewPlans), op{OperationID: "get-crisis-type", Method: get, Path: "/crisis-types/{id}", Tags: ct,
		Summary: "Get a crisis type", Errors: []int{nf}}, a.getCrisisType)
	register(a, can(authz.ManageCatalog), op{OperationID: "update-crisis-type", Method: patch, Path: "/crisis-types/{id}", Tags: ct,
		Summary: "Change a crisis type", Errors: []int{nf, cf}}, a.updateCrisisType)

	pl := []string{"plans"}
	register(a, can(authz.ViewPlans), op{OperationID: "list-plans", Method: get, Path: "/plans", Tags: pl,
		Summary: "List contingency plan versions"}, a.listPlans)
	register(a, can(authz.EditPlan), op{OperationID: "create-plan", Method: post, Path: "/plans", Tags: pl,
		Summary: "Start a plan: version 1, a draft by the caller", DefaultStatus: created, Errors: []int{cf}}, a.createPlan)
	register(a, can(authz.ViewPlans), op{OperationID: "get-plan", Method: get, Path: "/plans/{id}", Tags: pl,
		Summary: "Get a plan version", Errors: []int{nf}}, a.getPlan)
	register(a, can(authz.EditPlan), op{OperationID: "save-plan", Method: put, Path: "/plans/{id}", Tags: pl,
		Summary: "Save a draft; saving an approved version starts a new draft version", Errors: []int{nf, cf}}, a.savePlan)
	register(a, can(authz.EditPlan), op{OperationID: "submit-plan", Method: post, Path: "/plans/{id}/submit", Tags: pl,
		Summary: "Submit a draft for review (編制)", Errors: []int{nf, cf}}, a.submitPlan)
	register(a, can(authz.ReviewPlan), op{OperationID: "review-plan", Method: post, Path: "/plans/{id}/review", Tags: pl,
		Summary: "Sign as reviewer (審核); not the author", Errors: []int{nf, cf}}, a.reviewPlan)
	register(a, can(authz.ApprovePlan), op{OperationID: "approve-plan", Method: post, Path: "/plans/{id}/approve", Tags: pl,
		Summary: "Sign as approver (批準), putting the version in force", Errors: []int{nf, cf}}, a.approvePlan)
	register(a, can(authz.ReturnPlan), op{OperationID: "return-plan", Method: post, Path: "/plans/{id}/return", Tags: pl,
		Summary: "Send a submitted or reviewed plan back to draft with reasons", Errors: []int{nf, cf}}, a.returnPlan)

	cr := []string{"crises"}
	register(a, can(authz.ViewCrises), op{OperationID: "list-crises", Method: get, Path: "/crises", Tags: cr,
		Summary: "List crises and exercises, newest first"}, a.listCrises)
	register(a, can(authz.DeclareCrisis), op{OperationID: "declare-crisis", Method: post, Path: "/crises", Tags: cr,
		Summary: "Declare a crisis or an exercise; its clocks start", DefaultStatus: created}, a.declareCrisis)
	register(a, can(authz.ViewCrises), op{OperationID: "get-crisis", Method: get, Path: "/crises/{id}", Tags: cr,
		Summary: "Get a crisis with its clocks", Errors: []int{nf}}, a.getCrisis)
	register(a, can(authz.CommandCrisis), op{OperationID: "activate-crisis-plan", Method: post, Path: "/crises/{id}/activate", Tags: cr,
		Summary: "Activate an approved plan: its steps for the level become tasks", Errors: []int{nf, cf}}, a.activateCrisis)
	register(a, can(authz.CommandCrisis), op{OperationID: "change-crisis-level", Method: post, Path: "/crises/{id}/level", Tags: cr,
		Summary: "Change the level; the new level's steps become tasks", Errors: []int{nf, cf}}, a.changeLevel)
	register(a, can(authz.CommandCrisis), op{OperationID: "recover-crisis", Method: post, Path: "/crises/{id}/recover", Tags: cr,
		Summary: "Move an active crisis to recovery", Errors: []int{nf, cf}}, a.recoverCrisis)
	register(a, can(authz.CommandCrisis), op{OperationID: "close-crisis", Method: post, Path: "/crises/{id}/close", Tags: cr,
		Summary: "Close a crisis with a summary; its review opens", Errors: []int{nf, cf}}, a.closeCrisis)
	register(a, can(authz.ViewCrises), op{OperationID: "list-crisis-tasks", Method: get, Path: "/crises/{id}/tasks", Tags: cr,
		Summary: "List a crisis's tasks", Errors: []int{nf}}, a.listTasks)
	register(a, can(authz.ViewCrises), op{OperationID: "list-crisis-timeline", Method: get, Path: "/crises/{id}/timeline", Tags: cr,
		Summary: "List a crisis's timeline, oldest first", Errors: []int{nf}}, a.listTimeline)
	register(a, can(authz.WriteTimeline), op{OperationID: "add-crisis-note", Method: post, Path: "/crises/{id}/timeline", Tags: cr,
		Summary: "Write on a crisis's timeline", DefaultStatus: created, Errors: []int{nf, cf}}, a.addNote)
	register(a, can(authz.ViewCrises), op{OperationID: "stream-crisis-events", Method: get, Path: "/crises/{id}/events", Tags: cr,
		Summary: "Follow a crisis's changes as Server-Sent Events", Responses: eventStream(), Errors: []int{nf}}, a.crisisEvents)

	nt := []string{"notices"}
	register(a, can(authz.ViewNotices), op{OperationID: "list-notices", Method: get, Path: "/notices", Tags: nt,
		Summary: "List notices, newest first"}, a.listNotices)
	register(a, can(authz.EditNotice), op{OperationID: "create-notice", Method: post, Path: "/notices", Tags: nt,
		Summary: "Draft a notice", DefaultStatus: created}, a.createNotice)
	register(a, can(authz.EditNotice), op{OperationID: "convert-chinese", Method: post, Path: "/notices/convert-chinese", Tags: nt,
		Summary: "Start the other Chinese version of a text: Traditional to Simplified or back, for a person to review"}, a.convertChinese)
	register(a, can(authz.EditNotice), op{OperationID: "import-cap-notice", Method: post, Path: "/notices/import-cap", Tags: nt,
		Summary:       "Draft a public notice from an upstream agency's CAP 1.2 message (the XML itself)",
		DefaultStatus: created, Errors: []int{http.StatusUnsupportedMediaType}, RequestBody: &huma.RequestBody{
			Content: map[string]*huma.MediaType{"application/xml": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}, a.importCAP)
	register(a, can(authz.ViewNotices), op{OperationID: "get-notice", Method: get, Path: "/notices/{id}", Tags: nt,
		Summary: "Get a notice", Errors: []int{nf}}, a.getNotice)
	register(a, can(authz.EditNotice), op{OperationID: "save-notice", Method: put, Path: "/notices/{id}", Tags: nt,
		Summary: "Change an unpublished notice; a submitted or approved one goes back to draft", Errors: []int{nf, cf}}, a.saveNotice)
	register(a, can(authz.EditNotice), op{OperationID: "submit-notice", Method: post, Path: "/notices/{id}/submit", Tags: nt,
		Summary: "Submit a draft for approval", Errors: []int{nf, cf}}, a.submitNotice)
	register(a, can(authz.ApproveNotice), op{OperationID: "approve-notice", Method: post, Path: "/notices/{id}/approve", Tags: nt,
		Summary: "Approve a submitted notice; not the author", Errors: []int{nf, cf}}, a.approveNotice)
	register(a, can(authz.ReturnNotice), op{OperationID: "return-notice", Method: post, Path: "/notices/{id}/return", Tags: nt,
		Summary: "Send a submitted or approved notice back to draft with a comment", Errors: []int{nf, cf}}, a.returnNotice)
	register(a, can(authz.PublishNotice), op{OperationID: "publish-notice", Method: post, Path: "/notices/{id}/publish", Tags: nt,
		Summary: "Publish an approved notice, or a commander's template draft on the fast path, in one transaction",
		Errors:  []int{nf, cf}}, a.publishNotice)
	register(a, can(authz.ReviewNoticeAfter), op{OperationID: "review-notice", Method: post, Path: "/notices/{id}/review", Tags: nt,
		Summary: "Review a fast-path notice after it was published", Errors: []int{nf, cf}}, a.reviewNotice)
	register(a, can(authz.EditNotice), op{OperationID: "correct-notice", Method: post, Path: "/notices/{id}/correct", Tags: nt,
		Summary: "Draft a correction of a published notice", DefaultStatus: created, Errors: []int{nf, cf}}, a.correctNotice)
	register(a, can(authz.EditNotice), op{OperationID: "cancel-notice", Method: post, Path: "/notices/{id}/cancel", Tags: nt,
		Summary: "Draft the cancellation of a published notice", DefaultStatus: created, Errors: []int{nf, cf}}, a.cancelNotice)
	register(a, can(authz.EditNotice), op{OperationID: "all-clear-notice", Method: post, Path: "/notices/{id}/all-clear", Tags: nt,
		Summary: "Draft the all-clear that ends a published notice's warning", DefaultStatus: created, Errors: []int{nf, cf}}, a.allClearNotice)
	register(a, can(authz.ViewNotices), op{OperationID: "list-notice-history", Method: get, Path: "/notices/{id}/history", Tags: nt,
		Summary: "The chain a notice belongs to, oldest first: the original and its published follow-ups", Errors: []int{nf}}, a.noticeHistory)

	dl := []string{"deliveries"}
	register(a, can(authz.ViewDeliveries), op{OperationID: "get-notice-deliveries", Method: get, Path: "/notices/{id}/deliveries", Tags: dl,
		Summary: "A notice's delivery progress per channel, and its failed deliveries", Errors: []int{nf}}, a.noticeDeliveries)
	register(a, can(authz.RetryDeliveries), op{OperationID: "retry-notice-deliveries", Method: post, Path: "/notices/{id}/deliveries/retry", Tags: dl,
		Summary: "Queue a notice's failed and abandoned deliveries again", Errors: []int{nf, cf}}, a.retryDeliveries)

	pub := []string{"public subscriptions"}
	register(a, public, op{OperationID: "subscribe", Method: post, Path: "/public/subscriptions", Tags: pub,
		Summary:       "Subscribe to public notices by e-mail, SMS or webhook; a link or code is sent to confirm",
		DefaultStatus: http.StatusAccepted}, a.subscribe)
	register(a, public, op{OperationID: "confirm-subscription", Method: post, Path: "/public/subscriptions/confirm", Tags: pub,
		Summary: "Confirm a subscription with the link's token or the SMS code", Errors: []int{nf}}, a.confirmSubscription)
	register(a, public, op{OperationID: "unsubscribe", Method: post, Path: "/public/subscriptions/unsubscribe", Tags: pub,
		Summary: "Stop a subscription with the token of its unsubscribe link", Errors: []int{nf}}, a.unsubscribe)

	sb := []string{"subscribers"}
	register(a, can(authz.ViewSubscribers), op{OperationID: "list-subscribers", Method: get, Path: "/subscribers", Tags: sb,
		Summary: "List subscribers by id; addresses masked without subscriber.personal"}, a.listSubscribers)
	register(a, can(authz.ManageSubscribers), op{OperationID: "create-subscriber", Method: post, Path: "/subscribers", Tags: sb,
		Summary: "Add a subscriber on staff's word: active at once, no confirmation", DefaultStatus: created}, a.createSubscriber)
	register(a, can(authz.ViewSubscribers), op{OperationID: "count-subscribers", Method: get, Path: "/subscribers/counts", Tags: sb,
		Summary: "Count subscribers per channel and status"}, a.countSubscribers)
	register(a, can(authz.ManageSubscribers), op{OperationID: "import-subscribers", Method: post, Path: "/subscribers/import", Tags: sb,
		Summary:      "Add or update active subscribers from a CSV file (UTF-8, UTF-8 with BOM or Big5)",
		MaxBodyBytes: maxImportBytes, Errors: []int{http.StatusUnsupportedMediaType}, RequestBody: &huma.RequestBody{
			Required: true, Content: map[string]*huma.MediaType{
				"text/csv":            {Schema: &huma.Schema{Type: "string", Format: "binary"}},
				"multipart/form-data": {}}}}, a.importSubscribers)
	documentImportForm(a.huma.OpenAPI())
	register(a, can(authz.ViewPersonalData), op{OperationID: "export-subscribers", Method: get, Path: "/subscribers/export", Tags: sb,
		Summary: "Every subscriber as CSV (UTF-8 with BOM), full addresses", Responses: csvResponse()}, a.exportSubscribers)
	register(a, can(authz.ViewSubscribers), op{OperationID: "get-subscriber", Method: get, Path: "/subscribers/{id}", Tags: sb,
		Summary: "Get a subscriber; address masked without subscriber.personal", Errors: []int{nf}}, a.getSubscriber)
	register(a, can(authz.ManageSubscribers), op{OperationID: "delete-subscriber", Method: del, Path: "/subscribers/{id}", Tags: sb,
		Summary: "Delete a subscriber and its personal data", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, a.deleteSubscriber)

	wh := []string{"webhooks"}
	register(a, can(authz.ManageWebhooks), op{OperationID: "list-webhooks", Method: get, Path: "/webhooks", Tags: wh,
		Summary: "List registered webhook endpoints; secrets masked"}, a.listWebhooks)
	register(a, can(authz.ManageWebhooks), op{OperationID: "register-webhook", Method: post, Path: "/webhooks", Tags: wh,
		Summary: "Register a webhook endpoint; its secret is shown in full this once", DefaultStatus: created}, a.registerWebhook)
	register(a, can(authz.ManageWebhooks), op{OperationID: "get-webhook", Method: get, Path: "/webhooks/{id}", Tags: wh,
		Summary: "Get a webhook endpoint; secret masked", Errors: []int{nf}}, a.getWebhook)
	register(a, can(authz.ManageWebhooks), op{OperationID: "pause-webhook", Method: post, Path: "/webhooks/{id}/pause", Tags: wh,
		Summary: "Stop sending to an endpoint", Errors: []int{nf, cf}}, a.pauseWebhook)
	register(a, can(authz.ManageWebhooks), op{OperationID: "resume-webhook", Method: post, Path: "/webhooks/{id}/resume", Tags: wh,
		Summary: "Send to a paused endpoint again", Errors: []int{nf, cf}}, a.resumeWebhook)
	register(a, can(authz.ManageWebhooks), op{OperationID: "rotate-webhook-secret", Method: post, Path: "/webhooks/{id}/rotate", Tags: wh,
		Summary: "Replace an endpoint's secret, shown in full this once; the old one also signs for 24 hours",
		Errors:  []int{nf}}, a.rotateWebhook)
	register(a, can(authz.ManageWebhooks), op{OperationID: "delete-webhook", Method: del, Path: "/webhooks/{id}", Tags: wh,
		Summary: "Remove a webhook endpoint", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, a.deleteWebhook)

	me := []string{"me"}
	register(a, can(authz.ReadInternalNotice), op{OperationID: "list-my-inbox", Method: get, Path: "/me/inbox", Tags: me,
		Summary: "The internal notices sent to me in the app, newest first, with their read state"}, a.listInbox)
	register(a, can(authz.ReadInternalNotice), op{OperationID: "mark-inbox-read", Method: post, Path: "/me/inbox/{id}/read", Tags: me,
		Summary: "Record that I read an internal notice", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, a.markInboxRead)

	tk := []string{"tasks"}
	register(a, can(authz.ViewCrises), op{OperationID: "get-task", Method: get, Path: "/tasks/{id}", Tags: tk,
		Summary: "Get a task", Errors: []int{nf}}, a.getTask)
	register(a, can(authz.WorkTasks), op{OperationID: "update-task", Method: patch, Path: "/tasks/{id}", Tags: tk,
		Summary: "Tick or untick a task: its owner, the owner's department or a commander may", Errors: []int{nf, cf}}, a.updateTask)
}

// access is what an operation needs. Make it with public, signedIn or can;
// the zero value is refused, so no operation goes without a declared need.
type access struct {
	action   authz.Action
	signedIn bool
	public   bool
}

// public lets anybody through, signed in or not, within the public rate
// limit per client address.
var public = access{public: true}

// signedIn lets any signed-in person through, whatever their role.
var signedIn = access{signedIn: true}

// can lets through those whose role may take action.
func can(action authz.Action) access { return access{action: action} }

func (acc access) check() error {
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

// register adds one operation: it records the route, documents its security
// and errors, puts the guard in front of it and maps the handler's errors to
// problems, so a handler only returns domain errors.
func register[I, O any](a *API, acc access, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if err := acc.check(); err != nil {
		a.errs = append(a.errs, fmt.Errorf("%s %s: %w", op.Method, op.Path, err))
		return
	}
	defer func() {
		// huma panics on malformed operation types; make it New's error.
		if v := recover(); v != nil {
			a.errs = append(a.errs, fmt.Errorf("%s %s: %v", op.Method, op.Path, v))
		}
	}()
	if op.MaxBodyBytes > maxBodyBytes {
		a.bodyLimits[Prefix+op.Path] = op.MaxBodyBytes
	} else {
		op.MaxBodyBytes = maxBodyBytes
	}
	if acc.public {
		op.Middlewares = append(op.Middlewares, a.throttle(op.Path))
		op.Security = []map[string][]string{}
		op.Errors = append([]int{http.StatusTooManyRequests}, op.Errors...)
		op.Description = "No sign-in. Each client address may call it a few times a minute; beyond that it answers 429 with Retry-After."
	} else {
		op.Middlewares = append(op.Middlewares, a.guard(acc))
		op.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
		op.Errors = append([]int{http.StatusUnauthorized, http.StatusForbidden}, op.Errors...)
	}
	if acc.action != "" {
		op.Extensions = map[string]any{"x-crisisdesk-action": acc.action}
		op.Description = "Needs the permission " + string(acc.action) + "."
	}
	huma.Register(a.huma, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, a.problem(ctx, err)
		}
		return out, nil
	})
	a.routes = append(a.routes, authz.Route{Method: op.Method, Pattern: Prefix + op.Path,
		Action: acc.action, SignedIn: acc.signedIn, Public: acc.public})
}

// throttle limits a public operation to so many requests a minute from
// one client address, counted per operation, before the body is read.
func (a *API) throttle(path string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		if ok, wait := a.public.Allow(path + " " + session.ClientAddr(r)); !ok {
			secs := int(wait.Round(time.Second).Seconds())
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			writeProblem(w, problemOf(http.StatusTooManyRequests,
				fmt.Sprintf("too many requests from your address: try again in %d seconds", max(secs, 1))))
			return
		}
		next(ctx)
	}
}

// guard identifies the caller by token or cookie, checks the CSRF token of
// cookie requests, and checks the permission matrix. It runs before the body
// is read, so nobody unknown gets to send one.
func (a *API) guard(acc access) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		id, err := a.sessions.Identify(r)
		if err == nil && !id.ByToken {
			err = a.sessions.CheckCSRF(r)
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
			p := a.problem(r.Context(), err)
			if p.Status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="crisisdesk"`)
			}
			writeProblem(w, p)
			return
		}
		next(huma.WithContext(ctx, session.With(ctx.Context(), id)))
	}
}

// actor is the caller as an actor for the services. Everything through this
// surface is recorded as coming from the API, whatever the credential.
func actor(ctx context.Context) authz.Actor {
	id, _ := session.From(ctx)
	return id.User.Actor(authz.SourceAPI)
}
