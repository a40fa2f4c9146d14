-- A crisis is on the public site only from its first published public
-- notice, or from a commander choosing to show it (audited): public_since
-- records when, and public_by who chose (NULL when a notice did).
ALTER TABLE crises ADD COLUMN public_since TIMESTAMPTZ;
ALTER TABLE crises ADD COLUMN public_by BIGINT REFERENCES users(id);
UPDATE crises SET public_since = first_notice_at WHERE first_notice_at IS NOT NULL;
