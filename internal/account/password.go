package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"crisisdesk/internal/fault"
)

// Hashing is the cost of the argon2id hashes made for passwords. Every
// hash records its own parameters, so any hash verifies whatever Hashing
// is in force.
type Hashing struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// Production is the cost crisisdesk hashes with, after RFC 9106's second
// recommended option scaled to a small server: 64 MiB, 3 passes. The zero
// Hashing means Production. No setting selects another: only tests do,
// through package accounttest, to keep fixtures fast.
var Production = Hashing{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

const (
	argonKeyLen = 32
	saltLen     = 16
)

// orProduction is h, or Production for the zero Hashing.
func (h Hashing) orProduction() Hashing {
	if h == (Hashing{}) {
		return Production
	}
	return h
}

// MinPasswordLength is the shortest password crisisdesk accepts.
const MinPasswordLength = 12

// CheckPassword enforces the password policy.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return fault.Field("password", "must be at least %d characters", MinPasswordLength)
	case len(pw) > 1024:
		return fault.Field("password", "must be at most 1024 bytes")
	case strings.TrimSpace(pw) == "":
		return fault.Field("password", "must not be blank")
	}
	return nil
}

// HashPassword returns an argon2id hash of pw at the Production cost, in
// the PHC string format.
func HashPassword(pw string) (string, error) { return Production.Hash(pw) }

// Hash returns an argon2id hash of pw at cost h, in the PHC string format.
func (h Hashing) Hash(pw string) (string, error) {
	h = h.orProduction()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, h.Time, h.MemoryKiB, h.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.MemoryKiB, h.Time, h.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC-format hash.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHashes holds, per cost, the hash verified against when a sign-in
// names no known user, so that the answer takes as long as for a real one.
// Each is made on first use, not at start-up: argon2 takes its memory
// (64 MB) only when someone signs in.
var dummyHashes sync.Map // Hashing → func() string

// VerifyNobody burns the time of one verification at cost h.
func (h Hashing) VerifyNobody(pw string) {
	h = h.orProduction()
	f, _ := dummyHashes.LoadOrStore(h, sync.OnceValue(func() string {
		s, _ := h.Hash("crisisdesk-timing-equaliser")
		return s
	}))
	VerifyPassword(f.(func() string)(), pw)
}

// GeneratePassword returns a random password of 20 characters from an
// alphabet without look-alike characters, for printing once.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the kernel's CSPRNG never fails on Linux
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
