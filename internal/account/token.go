package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
)

// Session is a signed-in browser. Only the hash of its secret is stored.
type Session struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	Address   string
	UserAgent string
	Method    string // MethodPassword or MethodOIDC
}

// Token is an API token. Only the hash of its secret is stored; the secret
// is shown once, when it is made.
type Token struct {
	ID         int64
	UserID     int64
	Label      string
	Prefix     string // the first characters, to tell tokens apart in lists
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Session and token lifetimes.
const (
	SessionIdle     = 12 * time.Hour     // signed out after this long unused
	SessionAbsolute = 7 * 24 * time.Hour // signed out this long after sign-in whatever happens
	TokenPrefix     = "cdt_"
	// CalendarPrefix starts a calendar link's secret.
	CalendarPrefix = "cdcal_"
)

// NewSecret returns a random secret with the given prefix and its storage
// hash.
func NewSecret(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the hash under which a session or token secret is
// stored. The secrets are 256 random bits, so a plain SHA-256 suffices.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ValidateLabel checks a token label.
func ValidateLabel(label string) error {
	label = strings.TrimSpace(label)
	if label == "" || utf8.RuneCountInString(label) > 100 {
		return fault.Field("name", "must be 1–100 characters")
	}
	return nil
}
