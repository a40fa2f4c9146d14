package audit

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// KeySize is the length of an audit key in bytes.
const KeySize = 32

// Key signs the audit chain: from the row the chain is keyed from, each
// row's hash is an HMAC-SHA256 of its canonical form under the key, and the
// chain head carries an HMAC of its sequence number, last hash and keyed-
// from marker. The key lives outside the database (a file named by
// --audit-key-file), so that whoever can write the database alone can
// neither forge a row nor cut and re-head the chain unnoticed.
type Key []byte

// NewKey returns a fresh random key.
func NewKey() Key {
	k := make(Key, KeySize)
	_, _ = rand.Read(k) // never fails on Linux
	return k
}

// ParseKey reads a key as its file holds it: 64 hexadecimal characters,
// surrounding white space allowed.
func ParseKey(b []byte) (Key, error) {
	b = bytes.TrimSpace(b)
	if len(b) != 2*KeySize {
		return nil, fmt.Errorf("want %d hexadecimal characters (%d random bytes, as `openssl rand -hex %d` writes), found %d characters",
			2*KeySize, KeySize, KeySize, len(b))
	}
	k := make(Key, KeySize)
	if _, err := hex.Decode(k, b); err != nil {
		return nil, fmt.Errorf("want %d hexadecimal characters (as `openssl rand -hex %d` writes): %v", 2*KeySize, KeySize, err)
	}
	return k, nil
}

// Encode returns the key as its file holds it.
func (k Key) Encode() []byte { return []byte(hex.EncodeToString(k) + "\n") }

// Equal reports whether k and o are the same key.
func (k Key) Equal(o Key) bool { return len(k) > 0 && hmac.Equal(k, o) }

// ID names the key without revealing it, so that operators can tell
// whether two replicas hold the same one.
func (k Key) ID() string {
	return hex.EncodeToString(k.mac([]byte("crisisdesk audit key id"))[:6])
}

func (k Key) mac(msg []byte) []byte {
	m := hmac.New(sha256.New, k)
	m.Write(msg)
	return m.Sum(nil)
}

// ComputeMAC returns the keyed hash of the entry: an HMAC-SHA256 of its
// canonical form (which includes the previous row's hash, keyed or not).
func (e Entry) ComputeMAC(k Key) string {
	return hex.EncodeToString(k.mac(append([]byte("row;"), e.Canonical()...)))
}

// Head is the one-row record beside the chain: the last sequence number
// and hash, from which row on the chain is keyed (0: not keyed), and the
// head's own HMAC under the key.
type Head struct {
	Seq       int64
	Hash      string
	KeyedFrom int64
	MAC       string
}

// Keyed reports whether the chain is keyed.
func (h Head) Keyed() bool { return h.KeyedFrom > 0 }

// ComputeMAC returns the HMAC that signs the head's sequence number, hash
// and keyed-from marker.
func (h Head) ComputeMAC(k Key) string {
	msg := "head;" + strconv.FormatInt(h.Seq, 10) + ";" + h.Hash + ";" + strconv.FormatInt(h.KeyedFrom, 10)
	return hex.EncodeToString(k.mac([]byte(msg)))
}

// SignedBy reports whether the head's MAC was made with k.
func (h Head) SignedBy(k Key) bool {
	return h.Keyed() && hmac.Equal([]byte(h.MAC), []byte(h.ComputeMAC(k)))
}

// ErrNoKeyFile is returned by ReadKeyFile when the file does not exist.
var ErrNoKeyFile = errors.New("audit key file not found")

// ReadKeyFile reads the key file at path. A missing file is ErrNoKeyFile
// (wrapped); an unreadable or malformed one an error naming the file and
// the cause, fit for one line.
func ReadKeyFile(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoKeyFile, path)
	}
	if err != nil {
		return nil, fmt.Errorf("audit key file %s is not readable: %v", path, errors.Unwrap(err))
	}
	k, err := ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("audit key file %s is malformed: %v", path, err)
	}
	return k, nil
}

// CreateKeyFile writes a new random key to path, readable and writable by
// its owner alone, and returns it. It never replaces a file, and the file
// never appears half-written: the key is written to a temporary file
// beside it and linked into place, so that when another process makes it
// first, that one is read.
func CreateKeyFile(path string) (Key, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the audit key file %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return nil, fmt.Errorf("create the audit key file %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	k := NewKey()
	_, err = f.Write(k.Encode())
	if err = errors.Join(err, f.Chmod(0o600), f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("write the audit key file %s: %w", path, err)
	}
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return ReadKeyFile(path)
	} else if err != nil {
		return nil, fmt.Errorf("create the audit key file %s: %w", path, err)
	}
	return k, nil
}
