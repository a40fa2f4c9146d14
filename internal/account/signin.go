package account

import (
	"context"
	"strings"
	"time"

	"crisisdesk/internal/authz"
)

// How a session was signed in.
const (
	MethodPassword = "password" // a local account's password, and its second factor when it has one
	MethodOIDC     = "oidc"     // the office's OpenID Connect provider
)

// Client is where a sign-in comes from.
type Client struct {
	Address   string // the client address, without port
	UserAgent string // the User-Agent header as sent; only its kind is kept
	// Device is the secret of the browser's device cookie, "" when it has
	// none: a browser that signed in to the account before.
	Device string
}

// SignedIn is the outcome of a step of signing in that succeeded. Exactly
// one of Session and Challenge is set.
type SignedIn struct {
	User User
	// Session is the new session's secret, for the session cookie, and
	// Method how it signed in.
	Session string
	Method  string
	// Challenge is the secret of a sign-in that waits for the user's
	// second factor; the session comes from CompleteSignIn.
	Challenge string
	// Device, when set, is a new device secret for the browser to keep.
	Device string
	// UsedRecovery is set when a recovery code stood in for the app;
	// RecoveryLeft says how many remain.
	UsedRecovery bool
	RecoveryLeft int
}

// FailedSignIn is a failed attempt to sign in to an account, as its owner
// sees it.
type FailedSignIn struct {
	At      time.Time
	Address string
	Agent   string // AgentKind of the user agent
	Factor  string // "password" or "code"
}

// Second-factor kinds a failed attempt can be about.
const (
	FactorPassword = "password"
	FactorCode     = "code"
)

// ExternalLogin is an authorisation request sent to the identity provider
// and not yet answered: what the callback needs to finish it.
type ExternalLogin struct {
	State    string // also in the browser's cookie
	Nonce    string // must come back in the ID token
	Verifier string // the PKCE code verifier
	Next     string // where to go once signed in
}

// ExternalLoginTTL is how long an authorisation request may take.
const ExternalLoginTTL = 10 * time.Minute

// ChallengeTTL is how long a sign-in waits for its second factor.
const ChallengeTTL = 10 * time.Minute

// DeviceTTL is how long a browser is remembered after signing in.
const DeviceTTL = 180 * 24 * time.Hour

// ExternalIdentity is a person as the identity provider vouched for them,
// with the role and department their claims map to.
type ExternalIdentity struct {
	Issuer, Subject    string
	PreferredName      string // a suggestion for the sign-in name
	DisplayName, Email string
	// Role is the mapped role; "" when no rule matched, and the person
	// gets no account.
	Role authz.Role
	// Department is the mapped department code; it is applied only when
	// DepartmentMapped (a department claim is configured), and "" then
	// means no department.
	Department       string
	DepartmentMapped bool
	// Values are the claim values the role was looked for in, for the
	// audit trail of a refusal.
	Values []string
}

// SignIns are the steps of signing in. Every step is throttled and
// audited; state lives in the database, so that any replica may take the
// next step.
//
// Errors: invalid (with the field), unauthenticated (wrong credentials,
// an expired step), too_many_requests (throttled), forbidden (a person
// the identity provider vouched for without a role, or a disabled user).
type SignIns interface {
	// SignIn checks a name and password. A user with a second factor
	// gets a challenge; any other a session.
	SignIn(ctx context.Context, name, password string, c Client) (SignedIn, error)
	// ChallengeUser returns the user a pending sign-in is for.
	ChallengeUser(ctx context.Context, challenge string) (User, error)
	// CompleteSignIn checks a TOTP or recovery code for a pending
	// sign-in and, when it is right, returns the session.
	CompleteSignIn(ctx context.Context, challenge, code string, c Client) (SignedIn, error)
	// SignInExternal signs in a person vouched for by the identity
	// provider, creating or updating their user.
	SignInExternal(ctx context.Context, id ExternalIdentity, c Client) (SignedIn, error)
	// SaveExternalLogin keeps an authorisation request until its
	// callback; TakeExternalLogin returns it once.
	SaveExternalLogin(ctx context.Context, l ExternalLogin) error
	TakeExternalLogin(ctx context.Context, state string) (ExternalLogin, error)
	// FailedSignIns lists the failed sign-ins to a user's account since
	// a time, newest first, and counts them.
	FailedSignIns(ctx context.Context, userID int64, since time.Time, offset, limit int) ([]FailedSignIn, int, error)
}

// AgentKind reduces a User-Agent header to the browser and system it
// names, such as "firefox/windows", so that the ledger keeps no free text
// from strangers. Unknown parts are "other".
func AgentKind(ua string) string {
	if ua == "" {
		return "none"
	}
	l := strings.ToLower(ua)
	browser := "other"
	for _, b := range []struct{ needle, kind string }{
		{"edg/", "edge"}, {"opr/", "opera"}, {"firefox/", "firefox"}, {"chromium/", "chromium"},
		{"chrome/", "chrome"}, {"safari/", "safari"}, {"curl/", "curl"}, {"wget/", "wget"},
		{"python", "python"}, {"go-http-client", "go"},
	} {
		if strings.Contains(l, b.needle) {
			browser = b.kind
			break
		}
	}
	system := "other"
	for _, s := range []struct{ needle, kind string }{
		{"android", "android"}, {"iphone", "ios"}, {"ipad", "ios"}, {"windows", "windows"},
		{"mac os", "macos"}, {"cros", "chromeos"}, {"linux", "linux"},
	} {
		if strings.Contains(l, s.needle) {
			system = s.kind
			break
		}
	}
	return browser + "/" + system
}
