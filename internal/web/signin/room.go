// Package signin is the staff UI's room for who is asking: signing in
// with a password, a code or the office's identity provider, signing out,
// and the user's own account: password, second factor, failed sign-ins
// and language.
package signin

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// IdentityProvider signs people in at the office's identity provider: it
// starts an authorisation request and finishes it with the code the
// browser brings back.
type IdentityProvider interface {
	Start(next string) (login account.ExternalLogin, authURL string)
	Finish(ctx context.Context, code string, login account.ExternalLogin) (account.ExternalIdentity, error)
}

// Room serves the sign-in and account pages; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Accounts account.Service
	Sessions *session.Manager
	// IdentityProvider is the office's OpenID Connect provider; nil when
	// none is configured, and then the sign-in page offers no button for
	// it and its routes answer 404.
	IdentityProvider IdentityProvider
}

// Routes are the room's rows, each with the access it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Public(http.MethodGet, kit.SignInPath, h.signinPage),
		kit.Public(http.MethodPost, kit.SignInPath, h.signin),
		kit.Public(http.MethodGet, signinCodePath, h.signinCodePage), // the second factor of a pending sign-in
		kit.Public(http.MethodPost, signinCodePath, h.signinCode),
		kit.Public(http.MethodGet, oidcStartPath, h.oidcStart), // 404 without a provider
		kit.Public(http.MethodGet, oidcCallbackPath, h.oidcCallback),
		kit.SignedIn(http.MethodPost, kit.SignOutPath, h.signout),

		kit.Public(http.MethodPost, kit.LanguagePath, h.setLanguage), // anonymous: cookie; signed in: stored
		kit.Need(authz.EditOwnProfile, http.MethodGet, kit.PasswordPath, h.passwordPage),
		kit.Need(authz.EditOwnProfile, http.MethodPost, kit.PasswordPath, h.changePassword),
		kit.Need(authz.EditOwnProfile, http.MethodGet, kit.MFAPath, h.mfaPage),
		kit.Need(authz.EditOwnProfile, http.MethodPost, kit.MFAPath, h.confirmMFA),
		kit.Need(authz.EditOwnProfile, http.MethodPost, kit.MFAPath+"/recovery", h.regenerateRecovery),
		kit.Need(authz.EditOwnProfile, http.MethodPost, kit.MFAPath+"/disable", h.disableMFA),
		kit.Need(authz.EditOwnProfile, http.MethodGet, SigninsPath, h.signinsPage),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "signin", Templates: t, Flashes: map[string]string{
		"password_changed": "flash.password_changed",
		"mfa_disabled":     "flash.mfa_disabled",
		"recovery_used":    "flash.recovery_used",
	}}
}
