-- The crisis communication team (團隊): members with or without an
-- account, team roles (built in and the office's), deputies, the duty
-- rota with its swaps, and recruitment.
CREATE TABLE team_members (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,               -- staff, outside
    user_id       BIGINT REFERENCES users(id),
    expert_id     BIGINT REFERENCES experts(id) ON DELETE SET NULL,
    name          TEXT NOT NULL DEFAULT '',
    organisation  TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    languages     TEXT NOT NULL DEFAULT '[]',  -- JSON
    skills        TEXT NOT NULL DEFAULT '[]',  -- JSON
    roles         TEXT NOT NULL DEFAULT '[]',  -- JSON: team role keys
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    anonymised    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX team_members_user ON team_members (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE team_roles (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL DEFAULT '',
    built_in  BOOLEAN NOT NULL DEFAULT FALSE,
    deputies  TEXT NOT NULL DEFAULT '[]',     -- JSON: member ids, first first
    requires  TEXT NOT NULL DEFAULT '[]',     -- JSON: course ids
    version   BIGINT NOT NULL DEFAULT 1
);
INSERT INTO team_roles (code, built_in) VALUES
    ('spokesperson', TRUE), ('comm_coordinator', TRUE), ('project_coordinator', TRUE),
    ('media_liaison', TRUE), ('social_media', TRUE), ('hotline', TRUE), ('translator', TRUE);

CREATE TABLE team_shifts (
    id          INTEGER PRIMARY KEY,
    role_key    TEXT NOT NULL REFERENCES team_roles(code),
    member_id   BIGINT NOT NULL REFERENCES team_members(id),
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX team_shifts_role ON team_shifts (role_key, starts_at);
CREATE INDEX team_shifts_member ON team_shifts (member_id, starts_at);

CREATE TABLE team_swaps (
    id              INTEGER PRIMARY KEY,
    shift_id        BIGINT NOT NULL REFERENCES team_shifts(id) ON DELETE CASCADE,
    from_member_id  BIGINT NOT NULL REFERENCES team_members(id),
    to_member_id    BIGINT NOT NULL REFERENCES team_members(id),
    reason          TEXT NOT NULL DEFAULT '',
    actor_id        BIGINT NOT NULL DEFAULT 0,
    at              TIMESTAMP NOT NULL
);

CREATE TABLE team_openings (
    id           INTEGER PRIMARY KEY,
    role_key     TEXT NOT NULL REFERENCES team_roles(code),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    internal     BOOLEAN NOT NULL DEFAULT FALSE,
    opened_at    TIMESTAMP NOT NULL,
    closed_at    TIMESTAMP
);

CREATE TABLE team_candidates (
    id           INTEGER PRIMARY KEY,
    opening_id   BIGINT NOT NULL REFERENCES team_openings(id),
    name         TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL,
    decision     TEXT NOT NULL DEFAULT 'pending',
    decision_at  TIMESTAMP,
    decision_by  BIGINT NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    member_id    BIGINT REFERENCES team_members(id),
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE team_interviews (
    id            INTEGER PRIMARY KEY,
    candidate_id  BIGINT NOT NULL REFERENCES team_candidates(id),
    at            TIMESTAMP NOT NULL,
    panel         TEXT NOT NULL DEFAULT '[]', -- JSON: names
    score         INTEGER NOT NULL,
    notes         TEXT NOT NULL DEFAULT ''
);
