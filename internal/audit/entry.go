// Package audit is crisisdesk's append-only, hash-chained record of every
// change: who, what, when, and the state before and after. From the row
// the chain is keyed from on, the hashes are HMACs under a key kept outside
// the database (key.go).
package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/authz"
)

// Entry is one row of the audit trail.
type Entry struct {
	Seq      int64 // 1, 2, 3, … without gaps
	At       time.Time
	ActorID  int64  // 0 for the system or command line
	Actor    string // the actor's name at the time
	Source   string // ui, api, cli, system
	Action   string // e.g. "user.create"
	Entity   string // e.g. "user"
	EntityID string
	Before   json.RawMessage // null for creations
	After    json.RawMessage // null for deletions
	PrevHash string
	Hash     string
}

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Canonical returns the bytes the hash covers: every field but Hash, each
// length-prefixed so that no two entries encode alike. JSON documents are
// compacted first, so that an engine re-formatting them (PostgreSQL's jsonb)
// does not change the hash.
func (e Entry) Canonical() []byte {
	var b bytes.Buffer
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.Actor)
	field(e.Source)
	field(e.Action)
	field(e.Entity)
	field(e.EntityID)
	field(compact(e.Before))
	field(compact(e.After))
	field(e.PrevHash)
	return b.Bytes()
}

func compact(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "null"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	out, err := json.Marshal(v) // sorts object keys
	if err != nil {
		return string(raw)
	}
	return string(out)
}

// ComputeHash returns the hash of the entry's canonical form.
func (e Entry) ComputeHash() string {
	sum := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(sum[:])
}

// Snapshot encodes v for Before or After. nil becomes JSON null.
func Snapshot(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf("%q", "unencodable: "+err.Error()))
	}
	return b
}

// Problem describes the first place where the chain is broken.
type Problem struct {
	Seq    int64
	Reason string
}

func (p *Problem) Error() string { return fmt.Sprintf("audit row %d: %s", p.Seq, p.Reason) }

// Verifier checks entries one by one, in sequence order.
type Verifier struct {
	prev    string
	nextSeq int64
	checked int64
	// key and keyedFrom check the keyed part of the chain: rows from
	// keyedFrom on carry HMACs, and the head must be signed.
	key       Key
	keyedFrom int64
}

// NewVerifier starts a verification at the beginning of a chain that is
// not keyed.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis, nextSeq: 1} }

// NewKeyedVerifier starts a verification with the audit key. keyedFrom is
// the head's marker (0: none); rows before it carry plain hashes. Finish
// then requires the head to be signed with key, which also vouches for
// keyedFrom.
func NewKeyedVerifier(k Key, keyedFrom int64) *Verifier {
	return &Verifier{prev: Genesis, nextSeq: 1, key: k, keyedFrom: keyedFrom}
}

// Check verifies the next entry and returns the first problem found.
func (v *Verifier) Check(e Entry) *Problem {
	keyed := v.key != nil && v.keyedFrom > 0 && e.Seq >= v.keyedFrom
	switch {
	case e.Seq != v.nextSeq:
		return &Problem{Seq: v.nextSeq, Reason: fmt.Sprintf("missing (next row found is %d): a row was deleted", e.Seq)}
	case e.PrevHash != v.prev:
		return &Problem{Seq: e.Seq, Reason: "previous-hash link does not match: a row before it was changed or removed"}
	case keyed && !hmac.Equal([]byte(e.ComputeMAC(v.key)), []byte(e.Hash)):
		return &Problem{Seq: e.Seq, Reason: "content does not match its keyed hash: the row was edited, or written without the audit key"}
	case !keyed && e.ComputeHash() != e.Hash:
		return &Problem{Seq: e.Seq, Reason: "content does not match its hash: the row was edited"}
	}
	v.prev = e.Hash
	v.nextSeq++
	v.checked++
	return nil
}

// Finish compares the end of the chain with the head recorded beside it, so
// that deleting the newest rows is noticed too. With a key, the head must
// be signed with it: whoever cuts the newest rows and sets the head to the
// new end (or clears or moves the keyed-from marker) cannot sign it.
func (v *Verifier) Finish(h Head) *Problem {
	if h.Seq != v.nextSeq-1 {
		return &Problem{Seq: v.nextSeq, Reason: fmt.Sprintf("chain ends at row %d but %d rows were written: newest rows were deleted", v.nextSeq-1, h.Seq)}
	}
	if h.Hash != v.prev {
		return &Problem{Seq: h.Seq, Reason: "last row does not match the recorded chain head"}
	}
	if v.key == nil {
		return nil
	}
	if !h.Keyed() {
		return &Problem{Seq: h.Seq, Reason: "no row is signed with the audit key although one was given: " +
			"the signed rows and the head's signature were removed, or crisisdesk serve has not run with this key yet"}
	}
	if !h.SignedBy(v.key) {
		return &Problem{Seq: h.Seq, Reason: "the chain head's signature does not match the audit key: the head or its keyed-from marker " +
			"was rewritten (newest rows cut and the chain re-headed?), or the key is not this trail's"}
	}
	return nil
}

// Checked returns how many entries were verified.
func (v *Verifier) Checked() int64 { return v.checked }

// Filter selects audit entries for a list, newest first.
type Filter struct {
	Entity   string
	EntityID string
	ActorID  int64
	Offset   int
	Limit    int
}

// Service reads the audit trail. Entries are appended by the services that
// make changes, inside their transactions; nothing edits or deletes them.
type Service interface {
	// Record appends an entry for an action that changes nothing in the
	// database but must still be answerable for, such as an export of
	// personal data or a test message sent outside. detail becomes the
	// entry's After; Before is null. A caller that must not act unrecorded
	// records first and stops on an error.
	Record(ctx context.Context, actor authz.Actor, action, entity, entityID string, detail any) error
	List(ctx context.Context, f Filter) (entries []Entry, total int, err error)
	// Verify walks the whole chain. It returns the number of rows checked
	// and a *Problem naming the first bad row, or another error if the
	// database could not be read or the chain is keyed and no key was
	// given. Given a key, it also requires the chain to be keyed and its
	// head signed with that key.
	Verify(ctx context.Context) (checked int64, err error)
}
