package account

import "time"

// Sign-in throttling: after MaxFailures failed sign-ins within
// FailureWindow, further attempts for the same account or from the same
// address are refused until the window has passed.
const (
	MaxFailuresPerAccount = 5
	MaxFailuresPerAddress = 20
	FailureWindow         = 15 * time.Minute
)

// Throttled reports whether the counted failures block another attempt.
func Throttled(accountFailures, addressFailures int) bool {
	return accountFailures >= MaxFailuresPerAccount || addressFailures >= MaxFailuresPerAddress
}
