-- Who speaks on the public site: the office's profile (names per
-- language, contact line, public address, legend of the levels, country
-- code, districts) as one JSON document, and its logo beside it. One row.
CREATE TABLE office_profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    logo       BYTEA,
    logo_type  TEXT NOT NULL DEFAULT '',
    version    BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL
);
