package subscriber

import (
	"slices"
	"strings"
	"time"

	"crisisdesk/internal/fault"
)

// EndpointStatus is whether a registered webhook endpoint receives notices.
type EndpointStatus string

// The endpoint statuses.
const (
	EndpointActive EndpointStatus = "active"
	EndpointPaused EndpointStatus = "paused"
)

// PauseAfter is how long an endpoint may fail without a single success
// before it is paused and its owner told.
const PauseAfter = 24 * time.Hour

// RotationGrace is how long the previous secret still signs after a
// rotation, so the receiver can switch without losing a message.
const RotationGrace = 24 * time.Hour

// Endpoint is a webhook endpoint registered by staff for a partner agency,
// a media outlet or a social-media bridge. It receives every published
// notice of its audiences without any subscription step.
type Endpoint struct {
	ID             int64
	Name           string
	URL            string
	Secret         string
	PreviousSecret string
	PreviousUntil  time.Time
	// Audiences are the notice audiences sent: "public" and/or "media".
	Audiences []string
	// Exercises also sends exercise notices (marked as such).
	Exercises    bool
	OwnerID      int64
	Status       EndpointStatus
	PausedReason string
	FailingSince time.Time
	LastSuccess  time.Time
	LastFailure  time.Time
	LastError    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// EndpointAudiences are the audiences an endpoint may take.
var EndpointAudiences = []string{"public", "media"}

// Secrets returns the secrets that sign a message at now: the current one
// and, during the grace after a rotation, the previous one.
func (e Endpoint) Secrets(now time.Time) []string {
	if e.PreviousSecret != "" && now.Before(e.PreviousUntil) {
		return []string{e.Secret, e.PreviousSecret}
	}
	return []string{e.Secret}
}

// Receives reports whether the endpoint takes notices of audience a.
func (e Endpoint) Receives(audience string, exercise bool) bool {
	if e.Status != EndpointActive || (exercise && !e.Exercises) {
		return false
	}
	return slices.Contains(e.Audiences, audience)
}

// ShouldPause reports whether an endpoint that just failed at now has been
// failing for PauseAfter.
func (e Endpoint) ShouldPause(now time.Time) bool {
	return e.Status == EndpointActive && !e.FailingSince.IsZero() && now.Sub(e.FailingSince) >= PauseAfter
}

// EndpointRequest registers an endpoint.
type EndpointRequest struct {
	Name      string
	URL       string
	Secret    string // optional "whsec_…"; generated when empty
	Audiences []string
	Exercises bool
}

// Validate checks the request's own fields (the secret's format is checked
// by the webhook channel, which knows the scheme).
func (r EndpointRequest) Validate() (Endpoint, error) {
	var errs fault.Fields
	e := Endpoint{Name: strings.TrimSpace(r.Name), Secret: strings.TrimSpace(r.Secret), Exercises: r.Exercises, Status: EndpointActive}
	u, err := normalizeURL(strings.TrimSpace(r.URL))
	if err != nil {
		errs.Add("url", "%s", fault.As(err).Message)
	}
	e.URL = u
	if e.Name == "" {
		e.Name = e.URL
	}
	if len([]rune(e.Name)) > 200 {
		errs.Add("name", "at most 200 characters")
	}
	if len(r.Audiences) == 0 {
		e.Audiences = []string{"public"}
	}
	for _, a := range r.Audiences {
		a = strings.TrimSpace(a)
		if !slices.Contains(EndpointAudiences, a) {
			errs.Add("audiences", "%q is not an audience: public or media", a)
			continue
		}
		if !slices.Contains(e.Audiences, a) {
			e.Audiences = append(e.Audiences, a)
		}
	}
	return e, errs.Err()
}
