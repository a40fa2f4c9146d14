-- Calendar links: a secret address per person from which calendar apps,
-- which cannot sign in, read that person's calendars. Only a hash of the
-- secret is kept; making a new link revokes the old one.
CREATE TABLE calendar_links (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX calendar_links_user ON calendar_links(user_id);
