-- Drills (演練): the drill with its safety gate, the office's default
-- safety checklist, the in-app messages drills send to their people, and
-- the timed injects (the master scenario events list), the observers'
-- observations, the after-action reports and the improvement actions.
CREATE TABLE drills (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    type_id       INTEGER NOT NULL REFERENCES crisis_types(id),
    kind          TEXT NOT NULL,
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    state         TEXT NOT NULL,
    starts_at     TIMESTAMP NOT NULL,
    ends_at       TIMESTAMP NOT NULL,
    controller_id INTEGER NOT NULL REFERENCES users(id),
    author_id     INTEGER NOT NULL REFERENCES users(id),
    body          TEXT NOT NULL,          -- JSON: objectives, scenario, venue, equipment, participants, observers, evaluators
    safety        TEXT NOT NULL,          -- JSON drill.Safety
    steps         TEXT NOT NULL DEFAULT '[]',
    crisis_id     INTEGER REFERENCES crises(id),
    started_at    TIMESTAMP,
    ended_at      TIMESTAMP,
    paused_at     TIMESTAMP,
    stopped       BOOLEAN NOT NULL DEFAULT FALSE,
    stop_reason   TEXT NOT NULL DEFAULT '',
    report_due    TIMESTAMP,
    evaluated_at  TIMESTAMP,
    closed_at     TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    lock_version  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX drills_state ON drills(state, starts_at);
CREATE INDEX drills_crisis ON drills(crisis_id);

CREATE TABLE drill_checklist (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,             -- JSON drill.Checklist
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE drill_messages (
    id         INTEGER PRIMARY KEY,
    drill_id   INTEGER NOT NULL REFERENCES drills(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,             -- safety_stop, inject
    ref        TEXT NOT NULL DEFAULT '',  -- the inject's id for an inject
    text       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    UNIQUE (drill_id, user_id, kind, ref)
);
CREATE INDEX drill_messages_user ON drill_messages(user_id, read_at);

CREATE TABLE drill_injects (
    id           INTEGER PRIMARY KEY,
    drill_id     INTEGER NOT NULL REFERENCES drills(id),
    seq          INTEGER NOT NULL,
    at_offset    BIGINT,                  -- nanoseconds after the start, or NULL
    at_time      TIMESTAMP,               -- an absolute time, or NULL
    due_at       TIMESTAMP NOT NULL,      -- when it is delivered, from either
    sender       TEXT NOT NULL,           -- who it is from: a simulated caller, the media, a department
    recipient    TEXT NOT NULL,           -- a role name or a user name
    channel      TEXT NOT NULL,           -- app, email, sms
    message      TEXT NOT NULL,
    expected     TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,           -- pending, delivered, skipped
    delivered_at TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX drill_injects_drill ON drill_injects(drill_id, due_at);

CREATE TABLE drill_observations (
    id          INTEGER PRIMARY KEY,
    drill_id    INTEGER NOT NULL REFERENCES drills(id),
    objective   INTEGER NOT NULL,
    observer_id INTEGER NOT NULL REFERENCES users(id),
    observer    TEXT NOT NULL,
    rating      TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX drill_observations_drill ON drill_observations(drill_id, at);

CREATE TABLE drill_reports (
    drill_id     INTEGER PRIMARY KEY REFERENCES drills(id),
    summary      TEXT NOT NULL DEFAULT '',
    strengths    TEXT NOT NULL DEFAULT '[]',
    improvements TEXT NOT NULL DEFAULT '[]',
    ratings      TEXT NOT NULL DEFAULT '[]',
    clocks       TEXT NOT NULL DEFAULT '[]',
    injects      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    actions      INTEGER NOT NULL DEFAULT 0,
    author_id    INTEGER REFERENCES users(id),
    approved_by  INTEGER REFERENCES users(id),
    approved_at  TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE drill_actions (
    id          INTEGER PRIMARY KEY,
    drill_id    INTEGER NOT NULL REFERENCES drills(id),
    text        TEXT NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES users(id),
    due         TIMESTAMP NOT NULL,
    link_kind   TEXT NOT NULL,
    link_ref    TEXT NOT NULL,
    state       TEXT NOT NULL,
    done_by     INTEGER REFERENCES users(id),
    done_at     TIMESTAMP,
    verified_by INTEGER REFERENCES users(id),
    verified_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX drill_actions_drill ON drill_actions(drill_id, state);
