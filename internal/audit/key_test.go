package audit

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// keyedChain returns n entries of which those from keyedFrom on carry
// HMACs under k (keyedFrom 0: none), and the head signed as crisisdesk
// signs it.
func keyedChain(k Key, n int, keyedFrom int64) ([]Entry, Head) {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{Seq: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "admin", Source: "cli",
			Action: "user.create", Entity: "user", EntityID: "7", Before: json.RawMessage("null"),
			After: json.RawMessage(`{"role":"observer"}`), PrevHash: prev}
		e.Hash = seal(e, k, keyedFrom)
		prev = e.Hash
		out = append(out, e)
	}
	h := Head{Seq: int64(n), Hash: prev, KeyedFrom: keyedFrom}
	if keyedFrom > 0 {
		h.MAC = h.ComputeMAC(k)
	}
	return out, h
}

func seal(e Entry, k Key, keyedFrom int64) string {
	if keyedFrom > 0 && e.Seq >= keyedFrom {
		return e.ComputeMAC(k)
	}
	return e.ComputeHash()
}

// rechain recomputes the plain hashes and links from row i on, as someone
// with write access to the database but without the key would, and sets
// the head to the new end (keeping its marker and signature).
func rechain(es []Entry, h Head, from int) ([]Entry, Head) {
	for i := from; i < len(es); i++ {
		if i > 0 {
			es[i].PrevHash = es[i-1].Hash
		}
		es[i].Hash = es[i].ComputeHash()
	}
	h.Seq, h.Hash = es[len(es)-1].Seq, es[len(es)-1].Hash
	return es, h
}

func verifyWith(k Key, es []Entry, h Head) *Problem {
	v := NewKeyedVerifier(k, h.KeyedFrom)
	for _, e := range es {
		if p := v.Check(e); p != nil {
			return p
		}
	}
	return v.Finish(h)
}

// The attacks of someone who can write the database but not read the key
// file: each is caught, at the row or at the head.
func TestKeyedChainTampering(t *testing.T) {
	t.Parallel()
	key, other := NewKey(), NewKey()
	tests := []struct {
		name    string
		key     Key // the verifier's; nil: the chain's own
		mutate  func([]Entry, Head) ([]Entry, Head)
		wantSeq int64 // 0: intact
		reason  string
	}{
		{"intact: plain rows 1–3, keyed 4–6", nil, func(es []Entry, h Head) ([]Entry, Head) { return es, h }, 0, ""},
		{"keyed row edited, hashes recomputed", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es[4].Actor = "mallory"
			return rechain(es, h, 4)
		}, 5, "keyed hash"},
		{"keyed row edited, signed with another key", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es[4].Actor = "mallory"
			es[4].Hash = es[4].ComputeMAC(other)
			return es, h
		}, 5, "keyed hash"},
		{"plain row appended without the key", nil, func(es []Entry, h Head) ([]Entry, Head) {
			e := es[5]
			e.Seq, e.PrevHash = 7, es[5].Hash
			e.Hash = e.ComputeHash()
			es = append(es, e)
			h.Seq, h.Hash = 7, e.Hash
			return es, h
		}, 7, "keyed hash"},
		{"newest rows cut and the chain re-headed", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es = es[:4]
			h.Seq, h.Hash = 4, es[3].Hash
			return es, h
		}, 4, "signature"},
		{"newest rows cut, head left", nil, func(es []Entry, h Head) ([]Entry, Head) { return es[:4], h }, 5, "newest rows"},
		{"marker cleared and the whole chain rehashed plain", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es, h = rechain(es, h, 0)
			h.KeyedFrom, h.MAC = 0, ""
			return es, h
		}, 6, "no row is signed"},
		{"marker moved past the keyed rows, which are rehashed plain", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es, h = rechain(es, h, 3)
			h.KeyedFrom = 7
			return es, h
		}, 6, "signature"},
		{"marker moved back over plain rows", nil, func(es []Entry, h Head) ([]Entry, Head) {
			h.KeyedFrom = 2
			return es, h
		}, 2, "keyed hash"},
		{"plain row edited, plain hashes recomputed up to the keyed part", nil, func(es []Entry, h Head) ([]Entry, Head) {
			es[1].Action = "user.delete"
			es[1].Hash = es[1].ComputeHash()
			es[2].PrevHash = es[1].Hash
			es[2].Hash = es[2].ComputeHash()
			return es, h
		}, 4, "previous-hash link"},
		{"verified with another key", other, func(es []Entry, h Head) ([]Entry, Head) { return es, h }, 4, "keyed hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			es, h := keyedChain(key, 6, 4)
			es, h = tt.mutate(es, h)
			k := key
			if tt.key != nil {
				k = tt.key
			}
			p := verifyWith(k, es, h)
			switch {
			case tt.wantSeq == 0 && p != nil:
				t.Fatalf("want intact, got %v", p)
			case tt.wantSeq != 0 && p == nil:
				t.Fatalf("want a problem at row %d, got none", tt.wantSeq)
			case tt.wantSeq != 0 && (p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason)):
				t.Fatalf("problem at %d (%s), want %d naming %q", p.Seq, p.Reason, tt.wantSeq, tt.reason)
			}
		})
	}
}

// A chain keyed from its first row, and one keyed with no row yet after
// the marker (a key adopted, nothing written since): the head's signature
// still pins the plain rows.
func TestKeyedChainEdges(t *testing.T) {
	t.Parallel()
	key := NewKey()
	es, h := keyedChain(key, 3, 1)
	if p := verifyWith(key, es, h); p != nil {
		t.Fatalf("keyed from row 1: %v", p)
	}
	es, h = keyedChain(key, 3, 4)
	if p := verifyWith(key, es, h); p != nil {
		t.Fatalf("keyed from the next row: %v", p)
	}
	es[2].Actor = "mallory"
	es, h = rechain(es, h, 2)
	if p := verifyWith(key, es, h); p == nil || p.Seq != 3 || !strings.Contains(p.Reason, "signature") {
		t.Fatalf("plain row rewritten before any keyed row: %v", p)
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"hex", good, true},
		{"hex with a newline", good + "\n", true},
		{"upper case", strings.ToUpper(good), true},
		{"empty", "", false},
		{"short", good[:62], false},
		{"long", good + "00", false},
		{"not hex", strings.Repeat("zz", 32), false},
		{"base64", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseKey([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("ParseKey: %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && string(k.Encode()) != strings.ToLower(strings.TrimSpace(tt.in))+"\n" {
				t.Fatalf("Encode = %q", k.Encode())
			}
		})
	}
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "audit.key")
	if _, err := ReadKeyFile(path); !errors.Is(err, ErrNoKeyFile) {
		t.Fatalf("missing file: %v, want ErrNoKeyFile", err)
	}
	k, err := CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("the key's directory holds %d entries, want the key alone", len(entries))
	}
	again, err := CreateKeyFile(path)
	if err != nil || string(again) != string(k) {
		t.Fatalf("creating it again did not return the existing key: %v", err)
	}
	read, err := ReadKeyFile(path)
	if err != nil || string(read) != string(k) || read.ID() != k.ID() || len(k.ID()) != 12 {
		t.Fatalf("read back: %v", err)
	}
	if NewKey().ID() == k.ID() {
		t.Fatal("two keys share an ID")
	}

	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("not a key\n"), 0o600)
	if _, err := ReadKeyFile(bad); err == nil || !strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), bad) {
		t.Fatalf("malformed file: %v", err)
	}
	if _, err := ReadKeyFile(dir); err == nil || !strings.Contains(err.Error(), "not readable") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a directory as key file: %v", err)
	}
}
