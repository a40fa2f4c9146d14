// Package sso signs people in with the office's OpenID Connect identity
// provider: the authorisation code flow with PKCE, a state bound to the
// browser and a nonce bound to the ID token (go-oidc and x/oauth2 do the
// protocol). It reads who the person is and maps their claims to a role
// and department; what becomes of them is the account service's business.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"crisisdesk/internal/account"
	"crisisdesk/internal/clock"
)

// CallbackPath is where the provider sends the browser back; register
// BASE-URL + CallbackPath as the client's redirect URI.
const CallbackPath = "/signin/oidc/callback"

// Config is what it takes to use a provider.
type Config struct {
	Issuer       string // the issuer URL; discovery is read from it
	ClientID     string
	ClientSecret string // may be empty for a public client (PKCE alone)
	RedirectURL  string // the base URL + CallbackPath
	Scopes       []string
	Claims       account.ClaimMap
	// Client makes the calls to the provider; nil uses one with a
	// 10-second timeout.
	Client *http.Client
	Clock  clock.Clock
}

// Provider is a discovered identity provider.
type Provider struct {
	issuer   string
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client
	claims   account.ClaimMap
}

// Discover reads the provider's discovery document. A provider that cannot
// be reached or answers with something that is not a usable discovery
// document is an error in one line, naming the issuer.
func Discover(ctx context.Context, c Config) (*Provider, error) {
	u, err := url.Parse(c.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("the issuer %q is not an http(s) URL", c.Issuer)
	}
	if c.ClientID == "" {
		return nil, errors.New("a client id is needed (--oidc-client-id)")
	}
	if len(c.Claims.Rules) == 0 {
		return nil, errors.New("no role would ever be given: set --oidc-role-map")
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, c.Client), 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, c.Issuer)
	if err != nil {
		return nil, fmt.Errorf("cannot read the discovery document of %s: %s", c.Issuer, oneLine(err.Error()))
	}
	ep := p.Endpoint()
	if ep.AuthURL == "" || ep.TokenURL == "" {
		return nil, fmt.Errorf("the discovery document of %s names no authorization or token endpoint", c.Issuer)
	}
	scopes := c.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	// Keys are fetched when a token first needs them, through our client.
	keyCtx := oidc.ClientContext(context.Background(), c.Client)
	return &Provider{
		issuer: c.Issuer,
		oauth: oauth2.Config{ClientID: c.ClientID, ClientSecret: c.ClientSecret, Endpoint: ep,
			RedirectURL: c.RedirectURL, Scopes: scopes},
		verifier: p.VerifierContext(keyCtx, &oidc.Config{ClientID: c.ClientID, Now: c.Clock.Now}),
		client:   c.Client,
		claims:   c.Claims,
	}, nil
}

// Issuer is the provider's issuer URL.
func (p *Provider) Issuer() string { return p.issuer }

// Start makes a new authorisation request: the login to keep until the
// callback, and the provider's URL to send the browser to.
func (p *Provider) Start(next string) (account.ExternalLogin, string) {
	l := account.ExternalLogin{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(), Next: next}
	return l, p.oauth.AuthCodeURL(l.State, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier))
}

// Finish exchanges the code for tokens, verifies the ID token (signature,
// issuer, audience, expiry and the login's nonce) and reads the person
// from its claims.
func (p *Provider) Finish(ctx context.Context, code string, l account.ExternalLogin) (account.ExternalIdentity, error) {
	if code == "" {
		return account.ExternalIdentity{}, errors.New("the provider sent no code")
	}
	ctx = oidc.ClientContext(ctx, p.client)
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return account.ExternalIdentity{}, fmt.Errorf("exchange the code: %s", oneLine(err.Error()))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return account.ExternalIdentity{}, errors.New("the token response holds no ID token")
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return account.ExternalIdentity{}, fmt.Errorf("verify the ID token: %s", oneLine(err.Error()))
	}
	if idt.Nonce != l.Nonce {
		return account.ExternalIdentity{}, errors.New("the ID token's nonce is not this sign-in's")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return account.ExternalIdentity{}, fmt.Errorf("read the ID token's claims: %w", err)
	}
	return p.identity(idt.Issuer, idt.Subject, claims), nil
}

// identity maps verified claims to a person.
func (p *Provider) identity(issuer, subject string, claims map[string]any) account.ExternalIdentity {
	str := func(k string) string {
		s, _ := claims[k].(string)
		return strings.TrimSpace(s)
	}
	x := account.ExternalIdentity{Issuer: issuer, Subject: subject, PreferredName: str("preferred_username"),
		DisplayName: str("name"), DepartmentMapped: p.claims.DepartmentClaim != ""}
	// An address the provider has not verified could be anyone's.
	if v, ok := claims["email_verified"].(bool); ok && v {
		x.Email = str("email")
	}
	x.Role, x.Department, x.Values = p.claims.Map(claims)
	return x
}

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on Linux
	return base64.RawURLEncoding.EncodeToString(b)
}

// oneLine keeps an error from a remote party on one line and short: a
// provider's error page may be long HTML.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
