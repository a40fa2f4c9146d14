-- Rumours: the register of claims going round, where each was seen (links
-- and screenshots), the office's verdict, and the clarification notice
-- that answered it (clarified_at is when that notice was published).
CREATE TABLE rumours (
    id           INTEGER PRIMARY KEY,
    crisis_id    INTEGER REFERENCES crises(id),
    claim        TEXT NOT NULL,
    facts        TEXT NOT NULL DEFAULT '',
    verdict      TEXT NOT NULL,
    spread       TEXT NOT NULL,
    owner_id     INTEGER REFERENCES users(id),
    first_seen   TIMESTAMP NOT NULL,
    notice_id    INTEGER UNIQUE REFERENCES notices(id),
    clarified_at TIMESTAMP,
    author_id    INTEGER NOT NULL REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rumours_crisis ON rumours(crisis_id, first_seen);
CREATE INDEX rumours_clarified ON rumours(clarified_at);

CREATE TABLE rumour_sightings (
    id         INTEGER PRIMARY KEY,
    rumour_id  INTEGER NOT NULL REFERENCES rumours(id),
    seen_at    TIMESTAMP NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    image_name TEXT NOT NULL DEFAULT '',
    image_type TEXT NOT NULL DEFAULT '',
    image_size INTEGER NOT NULL DEFAULT 0,
    image      BLOB,
    added_by   INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX rumour_sightings_rumour ON rumour_sightings(rumour_id, seen_at);
