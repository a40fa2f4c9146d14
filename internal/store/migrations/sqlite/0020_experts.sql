-- Outside experts (外部專家): contacts outside the staff who are told by
-- e-mail and/or SMS when an internal notice is addressed to them.
CREATE TABLE experts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    field         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    languages     TEXT NOT NULL DEFAULT '[]', -- JSON, preferred first
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);

-- An internal notice may be addressed to the active outside experts.
ALTER TABLE notices ADD COLUMN experts BOOLEAN NOT NULL DEFAULT FALSE;
