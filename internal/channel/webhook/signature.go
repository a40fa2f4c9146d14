package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Standard Webhooks headers every delivery carries.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretPrefix marks a symmetric signing secret, as the Standard Webhooks
// specification serialises it.
const SecretPrefix = "whsec_"

// MinSecretBytes is the shortest key the specification allows (192 bits).
const MinSecretBytes = 24

// DefaultTolerance is how far a webhook-timestamp may be from the
// receiver's clock when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors Verify returns, so a receiver can tell them apart with errors.Is.
var (
	// ErrMissingHeader: webhook-id, webhook-timestamp or webhook-signature
	// is absent.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrTimestamp: the timestamp is malformed or outside the tolerance
	// (a replay or a badly wrong clock).
	ErrTimestamp = errors.New("webhook: timestamp out of tolerance")
	// ErrSignature: no v1 signature matches any of the secrets.
	ErrSignature = errors.New("webhook: no matching signature")
)

// NewSecret returns a fresh signing secret: "whsec_" and the base64 of 32
// random bytes.
func NewSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(b[:]), nil
}

// ParseSecret decodes a signing secret, with or without its "whsec_"
// prefix, into the HMAC key. Its errors never repeat the secret.
func ParseSecret(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix)
	if s == "" {
		return nil, errors.New("webhook secret: empty")
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 && !strings.HasSuffix(s, "=") {
		enc = base64.RawStdEncoding // tolerate a secret copied without padding
	}
	key, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("webhook secret: not valid base64: %w", err)
	}
	if len(key) < MinSecretBytes {
		return nil, fmt.Errorf("webhook secret: %d bytes is too short (at least %d)", len(key), MinSecretBytes)
	}
	return key, nil
}

// Sign returns the Standard Webhooks signature "v1,<base64>" of one
// delivery: HMAC-SHA256 over "id.timestamp.body" with the secret's key.
func Sign(secret string, id string, ts time.Time, body []byte) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	key, err := ParseSecret(secret)
	if err != nil {
		return "", err
	}
	mac := signature(key, id, strconv.FormatInt(ts.Unix(), 10), body)
	return "v1," + base64.StdEncoding.EncodeToString(mac), nil
}

// signature is the raw HMAC of the signed content.
func signature(key []byte, id, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// checkID refuses an id that would make the signed content ambiguous (a
// full stop) or break the header (control characters).
func checkID(id string) error {
	if id == "" {
		return errors.New("webhook id: empty")
	}
	for _, r := range id {
		if r == '.' || r < 0x20 || r == 0x7f {
			return fmt.Errorf("webhook id %q: may not contain %q", id, r)
		}
	}
	return nil
}

// Verify checks a received webhook as a receiver would: the id and
// timestamp headers are present, the timestamp lies within tolerance of now
// (DefaultTolerance when tolerance is zero or less), and at least one of
// the space-separated v1 signatures matches one of the secrets. Signatures
// of other schemes (v1a …) are skipped. The comparison is constant-time.
func Verify(secrets []string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	if len(secrets) == 0 {
		return errors.New("webhook: no secret to verify with")
	}
	keys := make([][]byte, 0, len(secrets))
	for i, s := range secrets {
		k, err := ParseSecret(s)
		if err != nil {
			return fmt.Errorf("secret %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	id, ts, sigs := header.Get(HeaderID), header.Get(HeaderTimestamp), header.Get(HeaderSignature)
	switch {
	case id == "":
		return fmt.Errorf("%w %s", ErrMissingHeader, HeaderID)
	case ts == "":
		return fmt.Errorf("%w %s", ErrMissingHeader, HeaderTimestamp)
	case sigs == "":
		return fmt.Errorf("%w %s", ErrMissingHeader, HeaderSignature)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not unix seconds", ErrTimestamp, ts)
	}
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: %s off by %s (tolerance %s)", ErrTimestamp, HeaderTimestamp, d.Round(time.Second), tolerance)
	}
	want := make([][]byte, len(keys))
	for i, k := range keys {
		want[i] = signature(k, id, ts, body)
	}
	for _, field := range strings.Fields(sigs) {
		version, encoded, ok := strings.Cut(field, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got, w) {
				return nil
			}
		}
	}
	return ErrSignature
}
