-- Subscribers, registered webhook endpoints and the delivery log: one
-- record per notice × recipient × channel, written before the send.
CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    address         TEXT NOT NULL,
    language        TEXT NOT NULL,
    categories      TEXT NOT NULL DEFAULT '',
    area_lat        REAL,
    area_lon        REAL,
    district        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    source          TEXT NOT NULL,
    secret          TEXT NOT NULL DEFAULT '',
    token           TEXT NOT NULL UNIQUE,
    confirm_hash    TEXT NOT NULL DEFAULT '',
    confirm_expires TIMESTAMP,
    confirm_tries   INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    confirmed_at    TIMESTAMP,
    unsubscribed_at TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (channel, address)
);
CREATE INDEX subscribers_confirm ON subscribers(confirm_hash) WHERE confirm_hash <> '';

CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    previous_secret TEXT NOT NULL DEFAULT '',
    previous_until  TIMESTAMP,
    audiences       TEXT NOT NULL DEFAULT 'public',
    exercises       BOOLEAN NOT NULL DEFAULT FALSE,
    owner_id        INTEGER REFERENCES users(id),
    status          TEXT NOT NULL,
    paused_reason   TEXT NOT NULL DEFAULT '',
    failing_since   TIMESTAMP,
    last_success    TIMESTAMP,
    last_failure    TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES notices(id),
    recipient_kind  TEXT NOT NULL,
    recipient_id    INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    address         TEXT NOT NULL,
    language        TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMP NOT NULL,
    lease_id        TEXT,
    lease_until     TIMESTAMP,
    sent_at         TIMESTAMP,
    read_at         TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (notice_id, recipient_kind, recipient_id, channel)
);
CREATE INDEX deliveries_progress ON deliveries(notice_id, channel, state, id);
CREATE INDEX deliveries_user ON deliveries(recipient_id, notice_id) WHERE recipient_kind = 'user';

-- The fan-out's checkpoint and each channel's sender heartbeat: what the
-- sweeper reads to restart work a dead process left behind.
CREATE TABLE fanouts (
    notice_id    INTEGER PRIMARY KEY REFERENCES notices(id),
    priority     INTEGER NOT NULL,
    stage        TEXT NOT NULL,
    last_id      INTEGER NOT NULL DEFAULT 0,
    done         BOOLEAN NOT NULL DEFAULT FALSE,
    heartbeat_at TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE INDEX fanouts_open ON fanouts(done, heartbeat_at);

CREATE TABLE delivery_runs (
    notice_id    INTEGER NOT NULL REFERENCES notices(id),
    channel      TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    done         BOOLEAN NOT NULL DEFAULT FALSE,
    heartbeat_at TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_id, channel)
);
CREATE INDEX delivery_runs_open ON delivery_runs(done, heartbeat_at);
