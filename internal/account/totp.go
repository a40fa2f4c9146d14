package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"crisisdesk/internal/authz"
)

// A second factor for local accounts: time-based one-time passwords (RFC
// 6238: SHA-1, six digits, 30-second steps, as every authenticator app
// reads them) and single-use recovery codes.
const (
	TOTPIssuer        = "crisisdesk"
	TOTPPeriod        = 30 // seconds a code lasts
	TOTPDigits        = 6
	RecoveryCodeCount = 10
	// EnrolmentTTL is how long a started enrolment waits for its first
	// code.
	EnrolmentTTL = 24 * time.Hour
	// totpSkew steps either side of now are accepted, for clocks that
	// differ a little.
	totpSkew = 1
)

// SecondFactorRequired reports whether a role must use a second factor
// when signing in with a password: the roles that run the office, approve
// what the public reads and lead a crisis. The others may choose one.
func SecondFactorRequired(r authz.Role) bool {
	return r == authz.Admin || r == authz.Commander || r == authz.Approver
}

// MustEnrol reports whether a user signed in by method must set up a
// second factor before anything else. People who came through the
// identity provider have the provider's factors.
func MustEnrol(u User, method string) bool {
	return method == MethodPassword && SecondFactorRequired(u.Role) && !u.SecondFactor
}

// Enrolment is a second factor being set up: the secret the user's
// authenticator app learns, as text and as an otpauth:// URI (which the
// page also shows as a QR code).
type Enrolment struct {
	Secret string
	URI    string
}

// SecondFactor is the state of a user's second factor.
type SecondFactor struct {
	Enabled      bool
	Since        time.Time
	RecoveryLeft int
}

// SecondFactors manage the second factor of local accounts. Every change
// is audited.
//
// Errors: invalid (field "code": a wrong or reused code), conflict (already
// set up, or nothing to confirm), forbidden (turning off a factor the role
// requires), too_many_requests.
type SecondFactors interface {
	// BeginEnrolment returns the actor's pending enrolment, starting one
	// when there is none.
	BeginEnrolment(ctx context.Context, actor authz.Actor) (Enrolment, error)
	// ConfirmEnrolment checks a first code from the app and turns the
	// factor on; it returns the recovery codes, shown once.
	ConfirmEnrolment(ctx context.Context, actor authz.Actor, code string) ([]string, error)
	// RegenerateRecoveryCodes replaces the actor's recovery codes, after
	// a current code.
	RegenerateRecoveryCodes(ctx context.Context, actor authz.Actor, code string) ([]string, error)
	// DisableSecondFactor turns the actor's factor off, after a current
	// code, unless the role requires one.
	DisableSecondFactor(ctx context.Context, actor authz.Actor, code string) error
	// ResetSecondFactor is an admin's removal of a user's factor (a lost
	// phone); it ends the user's sessions.
	ResetSecondFactor(ctx context.Context, actor authz.Actor, userID int64) error
	SecondFactorOf(ctx context.Context, userID int64) (SecondFactor, error)
}

// NewTOTP returns a new random secret for name.
func NewTOTP(name string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: name, Period: TOTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, fmt.Errorf("new TOTP secret: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URI: key.URL()}, nil
}

// TOTPURI is the otpauth:// URI of a secret, for an authenticator app.
func TOTPURI(name, secret string) string {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: name, Period: TOTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Secret: decodeSecret(secret)})
	if err != nil {
		return ""
	}
	return key.URL()
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func decodeSecret(s string) []byte {
	// The secret is the base32 text NewTOTP made; totp.Generate wants its
	// bytes and encodes them again.
	b, err := b32.DecodeString(strings.ToUpper(s))
	if err != nil {
		return nil
	}
	return b
}

// TOTPCounter is the time step of t.
func TOTPCounter(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode is the code of a secret for a time step.
func TOTPCode(secret string, counter int64) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(counter), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// MatchTOTP finds the time step near now whose code is code, newer than
// the last step accepted. It returns that step, or false: a wrong code or
// one already used (a replay).
func MatchTOTP(secret, code string, now time.Time, last int64) (int64, bool) {
	code = NormalizeCode(code)
	if len(code) != TOTPDigits || !allDigits(code) {
		return 0, false
	}
	cur := TOTPCounter(now)
	found := int64(0)
	for c := cur - totpSkew; c <= cur+totpSkew; c++ {
		want, err := TOTPCode(secret, c)
		if err != nil {
			return 0, false
		}
		// Compare every candidate, so that the time taken says nothing.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && c > last && found == 0 {
			found = c
		}
	}
	return found, found != 0
}

// NormalizeCode drops the spaces and dashes people type or paste into a
// code and lower-cases it.
func NormalizeCode(code string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

// IsTOTPCode reports whether a typed code has the shape of a TOTP code
// rather than a recovery code.
func IsTOTPCode(code string) bool {
	c := NormalizeCode(code)
	return len(c) == TOTPDigits && allDigits(c)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// recoveryAlphabet has no look-alike characters; 16 of them carry about
// 79 bits.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns n fresh recovery codes, in groups of four
// characters: "abcd-efgh-jkmn-pqrs".
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			panic(fmt.Sprintf("crypto/rand failed: %v", err))
		}
		var s strings.Builder
		for j, x := range b {
			if j > 0 && j%4 == 0 {
				s.WriteByte('-')
			}
			s.WriteByte(recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		out[i] = s.String()
	}
	return out
}

// HashRecoveryCode is how a recovery code is kept: salted with its user,
// so that equal codes of two users differ. The codes are random enough
// that a plain hash suffices.
func HashRecoveryCode(userID int64, code string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(userID, 10) + ":" + NormalizeCode(code)))
	return hex.EncodeToString(sum[:])
}
