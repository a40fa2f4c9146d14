-- Notices: every public, internal and media statement, from draft to the
-- public record. A published notice is never changed; corrections,
-- cancellations and all-clears are notices that reference it.
CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    crisis_id         INTEGER REFERENCES crises(id),
    kind              TEXT NOT NULL,
    audience          TEXT NOT NULL,
    departments       TEXT NOT NULL DEFAULT '[]',
    roles             TEXT NOT NULL DEFAULT '[]',
    status            TEXT NOT NULL,
    exercise          BOOLEAN NOT NULL DEFAULT FALSE,
    contents          TEXT NOT NULL,
    cap               TEXT NOT NULL,
    references_id     INTEGER REFERENCES notices(id),
    correction_reason TEXT NOT NULL DEFAULT '',
    template_plan_id  INTEGER REFERENCES plans(id),
    fast_path         BOOLEAN NOT NULL DEFAULT FALSE,
    author_id         INTEGER NOT NULL,
    approver_id       INTEGER,
    publisher_id      INTEGER,
    reviewer_id       INTEGER,
    submitted_at      TIMESTAMP,
    approved_at       TIMESTAMP,
    published_at      TIMESTAMP,
    reviewed_at       TIMESTAMP,
    steps             TEXT NOT NULL DEFAULT '[]',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    lock_version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notices_crisis ON notices(crisis_id, status);
CREATE INDEX notices_published ON notices(status, published_at);
CREATE INDEX notices_references ON notices(references_id);
