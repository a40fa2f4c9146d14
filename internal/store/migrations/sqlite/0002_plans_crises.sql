-- Plans and crises: the catalogue, versioned plans, crises with tasks,
-- clocks, an append-only timeline, clock alerts and post-crisis reviews.
CREATE TABLE crisis_types (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL,
    name        TEXT NOT NULL,          -- JSON {"zh-Hant","zh-Hans","en"}
    indicators  TEXT NOT NULL DEFAULT '[]',
    notify      TEXT NOT NULL DEFAULT '[]',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    type_id      INTEGER NOT NULL REFERENCES crisis_types(id),
    status       TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,         -- JSON plan.Body
    author_id    INTEGER NOT NULL REFERENCES users(id),
    reviewer_id  INTEGER REFERENCES users(id),
    approver_id  INTEGER REFERENCES users(id),
    submitted_at TIMESTAMP,
    reviewed_at  TIMESTAMP,
    approved_at  TIMESTAMP,
    review_due   TIMESTAMP,
    signatures   TEXT NOT NULL DEFAULT '[]',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (code, version)
);
CREATE INDEX plans_type ON plans(type_id, status);

CREATE TABLE crises (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    type_id         INTEGER NOT NULL REFERENCES crisis_types(id),
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    status          TEXT NOT NULL,
    exercise        BOOLEAN NOT NULL DEFAULT FALSE,
    location        TEXT NOT NULL,
    area            TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    occurred_at     TIMESTAMP NOT NULL,
    detected_at     TIMESTAMP NOT NULL,
    declared_at     TIMESTAMP NOT NULL,
    declared_by     INTEGER NOT NULL,
    plan_id         INTEGER REFERENCES plans(id),
    activated_at    TIMESTAMP,
    first_notice_at TIMESTAMP,
    recovering_at   TIMESTAMP,
    closed_at       TIMESTAMP,
    closing_note    TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX crises_status ON crises(status);

CREATE TABLE crisis_tasks (
    id            INTEGER PRIMARY KEY,
    crisis_id     INTEGER NOT NULL REFERENCES crises(id),
    step_key      TEXT NOT NULL,
    phase         TEXT NOT NULL,
    title         TEXT NOT NULL,
    level         INTEGER NOT NULL,
    owner_role    TEXT NOT NULL DEFAULT '',
    owner_dept_id INTEGER REFERENCES departments(id),
    assignee_id   INTEGER REFERENCES users(id),
    due_at        TIMESTAMP NOT NULL,
    done_at       TIMESTAMP,
    done_by       INTEGER,
    checklist     TEXT NOT NULL DEFAULT '[]',
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (crisis_id, step_key)
);

CREATE TABLE crisis_clocks (
    id           INTEGER PRIMARY KEY,
    crisis_id    INTEGER NOT NULL REFERENCES crises(id),
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    ref          TEXT NOT NULL DEFAULT '',
    owner_id     INTEGER,
    started_at   TIMESTAMP NOT NULL,
    due_at       TIMESTAMP NOT NULL,
    met_at       TIMESTAMP,
    warned_at    TIMESTAMP,
    expired_at   TIMESTAMP,
    cancelled_at TIMESTAMP,
    UNIQUE (crisis_id, name)
);

CREATE TABLE crisis_timeline (
    id              INTEGER PRIMARY KEY,
    crisis_id       INTEGER NOT NULL REFERENCES crises(id),
    at              TIMESTAMP NOT NULL,
    kind            TEXT NOT NULL,
    event           TEXT NOT NULL DEFAULT '',
    actor_id        INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    text            TEXT NOT NULL,
    attachment_name TEXT NOT NULL DEFAULT '',
    attachment_type TEXT NOT NULL DEFAULT '',
    attachment_size INTEGER NOT NULL DEFAULT 0,
    attachment      BLOB
);
CREATE INDEX crisis_timeline_crisis ON crisis_timeline(crisis_id, id);
CREATE TRIGGER crisis_timeline_no_update BEFORE UPDATE ON crisis_timeline
BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;
CREATE TRIGGER crisis_timeline_no_delete BEFORE DELETE ON crisis_timeline
BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;

CREATE TABLE clock_alerts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    crisis_id  INTEGER NOT NULL REFERENCES crises(id),
    clock_name TEXT NOT NULL,
    stage      TEXT NOT NULL,
    text       TEXT NOT NULL,
    due_at     TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    UNIQUE (user_id, crisis_id, clock_name, stage)
);
CREATE INDEX clock_alerts_user ON clock_alerts(user_id, read_at);

CREATE TABLE crisis_reviews (
    crisis_id    INTEGER PRIMARY KEY REFERENCES crises(id),
    lessons      TEXT NOT NULL DEFAULT '',
    action_items TEXT NOT NULL DEFAULT '[]',
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
