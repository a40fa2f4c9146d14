-- Deadlines: clocks on anything that is not a crisis (a reply owed, a
-- review due, a certificate expiring). One open deadline per kind and
-- subject; starting again cancels the open one and records a new row, so
-- the history of every clock stays for the KPIs. Args and watchers are
-- JSON: message arguments (never sentences) and user ids.
CREATE TABLE deadlines (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    crisis_id    INTEGER REFERENCES crises(id),
    owner_id     INTEGER REFERENCES users(id),
    watchers     TEXT NOT NULL DEFAULT '[]',
    link         TEXT NOT NULL DEFAULT '',
    args         TEXT NOT NULL DEFAULT '{}',
    started_at   TIMESTAMP NOT NULL,
    due_at       TIMESTAMP NOT NULL,
    warned_at    TIMESTAMP,
    expired_at   TIMESTAMP,
    met_at       TIMESTAMP,
    cancelled_at TIMESTAMP
);
CREATE UNIQUE INDEX deadlines_open ON deadlines(kind, subject_kind, subject_id)
    WHERE met_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX deadlines_subject ON deadlines(subject_kind, subject_id);
CREATE INDEX deadlines_due ON deadlines(kind, due_at);
CREATE INDEX deadlines_owner ON deadlines(owner_id, due_at);

CREATE TABLE deadline_alerts (
    id          INTEGER PRIMARY KEY,
    deadline_id INTEGER NOT NULL REFERENCES deadlines(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    stage       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    UNIQUE (deadline_id, user_id, stage)
);
CREATE INDEX deadline_alerts_user ON deadline_alerts(user_id, read_at);
