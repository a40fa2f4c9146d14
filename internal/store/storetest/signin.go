package storetest

import (
	"context"
	"sync"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
)

// TOTP is a second factor set up for a test user, standing in for the
// person's authenticator app.
type TOTP struct {
	st       *store.Store
	Secret   string
	Recovery []string // the recovery codes shown at enrolment

	mu   sync.Mutex
	last int64 // the newest time step given: the store refuses it again
	used int   // recovery codes given
}

// EnrolTOTP sets up a second factor for u through the account service, as
// the enrolment page does: begin, then confirm with the app's current
// code.
func EnrolTOTP(tb testing.TB, st *store.Store, u account.User) *TOTP {
	tb.Helper()
	ctx := context.Background()
	actor := u.Actor(authz.SourceUI)
	en, err := st.Accounts().BeginEnrolment(ctx, actor)
	if err != nil {
		tb.Fatalf("begin enrolment of %s: %v", u.Name, err)
	}
	f := &TOTP{st: st, Secret: en.Secret}
	codes, err := st.Accounts().ConfirmEnrolment(ctx, actor, f.Code(tb))
	if err != nil {
		tb.Fatalf("confirm enrolment of %s: %v", u.Name, err)
	}
	f.Recovery = codes
	return f
}

// Code returns a code the store accepts next: the app's code for the
// newest time step not given yet that is still within the accepted
// window. When every such step has been given (several sign-ins within
// one step), it returns an unused recovery code instead, so that no test
// waits for the clock.
func (f *TOTP) Code(tb testing.TB) string {
	tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	cur := account.TOTPCounter(f.st.Clock().Now())
	step := max(f.last+1, cur-1)
	if step > cur+1 {
		if f.used >= len(f.Recovery) {
			tb.Fatal("storetest: no fresh TOTP step and no recovery code left")
		}
		f.used++
		return f.Recovery[f.used-1]
	}
	code, err := account.TOTPCode(f.Secret, step)
	if err != nil {
		tb.Fatalf("storetest: TOTP code: %v", err)
	}
	f.last = step
	return code
}

// SignIn signs in through the account service with the password and, for
// a user with a second factor, a code from f; it returns the session
// secret.
func SignIn(tb testing.TB, st *store.Store, name, password string, f *TOTP, c account.Client) string {
	tb.Helper()
	ctx := context.Background()
	out, err := st.Accounts().SignIn(ctx, name, password, c)
	if err != nil {
		tb.Fatalf("sign in %s: %v", name, err)
	}
	if out.Challenge != "" {
		if f == nil {
			tb.Fatalf("sign in %s: a code is asked for and the test has none", name)
		}
		if out, err = st.Accounts().CompleteSignIn(ctx, out.Challenge, f.Code(tb), c); err != nil {
			tb.Fatalf("sign in %s with a code: %v", name, err)
		}
	}
	return out.Session
}
