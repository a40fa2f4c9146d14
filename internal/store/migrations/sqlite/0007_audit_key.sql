-- The audit chain is keyed: from row keyed_from on, each row's hash is an
-- HMAC-SHA256 with a key kept outside the database (--audit-key-file).
-- mac signs the head (seq, hash, keyed_from) with the same key, so that
-- whoever can write the database alone cannot cut the newest rows and
-- re-head the chain, nor move or clear keyed_from. NULL: not keyed yet;
-- rows written before the key existed keep their plain SHA-256 hashes.
ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER;
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
