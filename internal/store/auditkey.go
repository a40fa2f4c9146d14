package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
)

// The audit chain is keyed (audit.Key): from the row audit_head.keyed_from
// names on, each row's hash is an HMAC under a key kept outside the
// database, and audit_head.mac signs the head. serve adopts the key on
// start (AdoptAuditKey); every other command that writes audit rows checks
// that its key is the chain's (CheckAuditKey). Rows written before the key
// existed keep their plain hashes.

// UseAuditKey gives the store the audit key. Call it before the store is
// used; nil means none.
func (s *Store) UseAuditKey(k audit.Key) { s.auditKey = k }

// AuditKey returns the key given to UseAuditKey.
func (s *Store) AuditKey() audit.Key { return s.auditKey }

// AuditHead reads the chain head.
func (s *Store) AuditHead(ctx context.Context) (audit.Head, error) {
	return readHead(s.reader.QueryRowContext(ctx, `SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1`))
}

func readHead(r rowScanner) (audit.Head, error) {
	var h audit.Head
	var keyedFrom sql.NullInt64
	if err := r.Scan(&h.Seq, &h.Hash, &keyedFrom, &h.MAC); err != nil {
		return audit.Head{}, fmt.Errorf("read audit chain head: %w", err)
	}
	h.KeyedFrom = keyedFrom.Int64
	return h, nil
}

func errKeyNeeded(keyedFrom int64) error {
	return fmt.Errorf("the audit trail is signed with an audit key from row %d on, and this command was given none: "+
		"point --audit-key-file at the key file crisisdesk serve uses", keyedFrom)
}

func errKeyMismatch(k audit.Key, h audit.Head) error {
	return fmt.Errorf("the audit key file (key %s) is not the key the audit trail is signed with since row %d "+
		"(every replica needs the same file), or the chain head was rewritten: run crisisdesk audit verify with the right key",
		k.ID(), h.KeyedFrom)
}

// CheckAuditKey returns an error when the chain is keyed and the store
// has no key, or another key than the one that signed the head. It only
// reads.
func (s *Store) CheckAuditKey(ctx context.Context) error {
	h, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	switch {
	case !h.Keyed():
		return nil
	case s.auditKey == nil:
		return errKeyNeeded(h.KeyedFrom)
	case !h.SignedBy(s.auditKey):
		return errKeyMismatch(s.auditKey, h)
	}
	return nil
}

// AdoptAuditKey keys the chain with the store's key from its next row on,
// signing the head and recording the adoption as that first keyed row;
// a chain already keyed must be keyed with this key. serve calls it on
// every start; replicas starting together key the chain once, and one
// with another key is refused.
func (s *Store) AdoptAuditKey(ctx context.Context) error {
	k := s.auditKey
	if k == nil {
		return fmt.Errorf("adopt the audit key: no key given")
	}
	return s.InTx(ctx, func(tx *Tx) error {
		// A no-op update takes the head's lock on both engines first.
		h, err := readHead(tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed_from, mac`))
		if err != nil {
			return err
		}
		if h.Keyed() {
			if !h.SignedBy(k) {
				return errKeyMismatch(k, h)
			}
			return nil
		}
		h.KeyedFrom = h.Seq + 1
		h.MAC = h.ComputeMAC(k)
		if _, err := tx.Exec(ctx, `UPDATE audit_head SET keyed_from = $1, mac = $2 WHERE id = 1`, h.KeyedFrom, h.MAC); err != nil {
			return fmt.Errorf("key the audit chain: %w", err)
		}
		return tx.Audit(ctx, authz.System(authz.SourceSystem, "crisisdesk"), "audit.key.adopt", "audit", strconv.FormatInt(h.KeyedFrom, 10),
			nil, map[string]any{"keyed_from": h.KeyedFrom, "key_id": k.ID()})
	})
}
