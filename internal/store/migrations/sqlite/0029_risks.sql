-- The risk register (風險登記冊): each risk with its cause and consequence,
-- a likelihood (0: unset) and an impact on 1–5, an owner and a recurring
-- review; the history of its ratings; its mitigations with the record of
-- their execution; the in-app alerts of new risks and changes of rating.
-- A risk of the default register has a key and takes its texts from the
-- catalogues until someone writes their own.
CREATE TABLE risks (
    id            INTEGER PRIMARY KEY,
    tpl_key         TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL,
    cause         TEXT NOT NULL DEFAULT '',
    consequence   TEXT NOT NULL DEFAULT '',
    likelihood    INTEGER NOT NULL DEFAULT 0 CHECK (likelihood BETWEEN 0 AND 5),
    impact        INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    owner_id      BIGINT REFERENCES users (id),
    review_months INTEGER NOT NULL DEFAULT 1,
    review_due    TIMESTAMP NOT NULL,
    reviewed_at   TIMESTAMP,
    status        TEXT NOT NULL DEFAULT 'open',
    links         TEXT NOT NULL DEFAULT '[]', -- JSON: [{kind, target_id}]
    created_by    BIGINT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    rated_at      TIMESTAMP NOT NULL,
    lock_version  BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX risks_key ON risks (tpl_key) WHERE tpl_key <> '';
CREATE INDEX risks_rated ON risks (rated_at);

CREATE TABLE risk_ratings (
    id          INTEGER PRIMARY KEY,
    risk_id     BIGINT NOT NULL REFERENCES risks (id),
    likelihood  INTEGER NOT NULL,
    impact      INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    actor_id    BIGINT,
    actor       TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX risk_ratings_risk ON risk_ratings (risk_id, at);

CREATE TABLE risk_mitigations (
    id          INTEGER PRIMARY KEY,
    risk_id     BIGINT NOT NULL REFERENCES risks (id),
    tpl_key       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    owner_id    BIGINT REFERENCES users (id),
    due         TIMESTAMP NOT NULL,
    status      TEXT NOT NULL,
    log         TEXT NOT NULL DEFAULT '[]', -- JSON: the record of its execution
    done_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX risk_mitigations_risk ON risk_mitigations (risk_id);

CREATE TABLE risk_alerts (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    risk_id     BIGINT NOT NULL REFERENCES risks (id),
    kind        TEXT NOT NULL,
    score       INTEGER NOT NULL DEFAULT 0,
    band        TEXT NOT NULL,
    trend       TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX risk_alerts_user ON risk_alerts (user_id, read_at);
