package account

import "time"

// Sign-in throttling follows OWASP's advice against lockout as a denial of
// service: wrong passwords block the address they come from, and the
// account only from that address, so that nobody elsewhere can lock an
// account's owner out. Failures for an account from other addresses only
// slow its sign-ins down, a little more with each failure up to MaxDelay;
// the right password is never refused for them. A browser that signed in
// to the account before (it holds a device cookie) is judged on its own
// failures alone.
const (
	// FailureWindow is how long a failure counts.
	FailureWindow = 15 * time.Minute
	// MaxFailuresPerAddress failures from one address, whatever the
	// names, refuse further sign-ins from it.
	MaxFailuresPerAddress = 20
	// MaxFailuresPerAccountAddress failures for one account from one
	// address refuse further sign-ins to it from there.
	MaxFailuresPerAccountAddress = 5
	// MaxFailuresPerDevice failures for an account from a browser that
	// signed in to it before refuse further sign-ins from that browser.
	MaxFailuresPerDevice = 5
	// SlowAfter failures for an account from other addresses make each
	// of its sign-ins wait before the password is checked.
	SlowAfter = 5
	// MaxDelay caps that wait.
	MaxDelay = 10 * time.Second
	// MaxCodeFailures wrong second-factor codes for an account refuse
	// further codes until the window has passed; MaxChallengeFailures
	// wrong codes end the pending sign-in, which must start again with
	// the password.
	MaxCodeFailures      = 10
	MaxChallengeFailures = 5
	// LedgerRetention is how long failed sign-ins are kept for their
	// accounts' owners to see.
	LedgerRetention = 90 * 24 * time.Hour
)

// Tally is what the ledger knows about a sign-in attempt: the failures in
// the last FailureWindow that bear on it, the attempt itself not counted.
type Tally struct {
	FromAddress      int  // from the attempt's address, whatever the name
	AccountAtAddress int  // for the name, from the attempt's address
	AccountElsewhere int  // for the name, from any other address
	Device           bool // the browser holds a device cookie valid for the account
	FromDevice       int  // for the name, with that device cookie
}

// Verdict is what becomes of a sign-in attempt before its password is
// checked: refused outright, or checked after Delay.
type Verdict struct {
	Refused bool
	Delay   time.Duration
}

// Judge decides an attempt from its tally.
func Judge(t Tally) Verdict {
	if t.Device {
		return Verdict{Refused: t.FromDevice >= MaxFailuresPerDevice}
	}
	if t.FromAddress >= MaxFailuresPerAddress || t.AccountAtAddress >= MaxFailuresPerAccountAddress {
		return Verdict{Refused: true}
	}
	return Verdict{Delay: Delay(t.AccountElsewhere)}
}

// Delay is the wait before a password is checked when the account has had
// n failures from elsewhere: none below SlowAfter, then one second,
// doubling with each failure, up to MaxDelay.
func Delay(n int) time.Duration {
	if n < SlowAfter {
		return 0
	}
	steps := n - SlowAfter
	if steps >= 4 { // 2^4 s is past the cap already
		return MaxDelay
	}
	return min(time.Second<<steps, MaxDelay)
}
