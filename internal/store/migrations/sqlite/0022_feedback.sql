-- Questions and feedback from the public, the departments and the
-- outside experts: a reference the sender looks up, a triage, a reply by
-- the channel it came in on, the action taken, merges, answers published
-- in a crisis's FAQ and the correction a reported error caused. crisis_id
-- and notice_id are what the sender named (checked, not constrained, so
-- that a batch of public submissions never fails on one of them);
-- rumour_id is for the rumour register.
CREATE TABLE feedback (
    id               INTEGER PRIMARY KEY,
    ref              TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL,
    source           TEXT NOT NULL DEFAULT 'public',
    source_id        INTEGER NOT NULL DEFAULT 0,
    message          TEXT NOT NULL,
    language         TEXT NOT NULL,
    contact          TEXT NOT NULL DEFAULT '',
    crisis_id        INTEGER,
    notice_id        INTEGER,
    category         TEXT NOT NULL,
    priority         TEXT NOT NULL DEFAULT 'normal',
    owner_id         INTEGER REFERENCES users(id),
    tags             TEXT NOT NULL DEFAULT '[]',   -- JSON list, lower case
    state            TEXT NOT NULL,
    reply_due        TIMESTAMP NOT NULL,
    reply            TEXT NOT NULL DEFAULT '',
    reply_channel    TEXT NOT NULL DEFAULT '',
    replied_at       TIMESTAMP,
    replied_by       INTEGER REFERENCES users(id),
    action_note      TEXT NOT NULL DEFAULT '',
    action_at        TIMESTAMP,
    action_by        INTEGER REFERENCES users(id),
    merged_into      INTEGER REFERENCES feedback(id),
    correction_id    INTEGER REFERENCES notices(id),
    rumour_id        INTEGER,
    faq_question     TEXT NOT NULL DEFAULT '',
    faq_answer       TEXT NOT NULL DEFAULT '',
    faq_published_at TIMESTAMP,
    faq_published_by INTEGER REFERENCES users(id),
    steps            TEXT NOT NULL DEFAULT '[]',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    lock_version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX feedback_state ON feedback(state, reply_due);
CREATE INDEX feedback_crisis ON feedback(crisis_id, created_at);
CREATE INDEX feedback_faq ON feedback(crisis_id, faq_published_at);
CREATE INDEX feedback_created ON feedback(created_at);

-- Personal links of departments and outside experts: /feedback/from/TOKEN.
CREATE TABLE feedback_links (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    source     TEXT NOT NULL,
    source_id  INTEGER NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
