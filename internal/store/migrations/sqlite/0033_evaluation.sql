-- Evaluation (issue 18): the KPI definitions, each version kept; the
-- period reports with the figures they computed; the internal audit of
-- published notices; and the post-crisis review's clock and signature.
CREATE TABLE kpi_definitions (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    version    INTEGER NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    formula    TEXT NOT NULL CHECK (formula <> ''),
    notes      TEXT NOT NULL DEFAULT '',
    statistic  TEXT NOT NULL,
    target     INTEGER NOT NULL DEFAULT 0,
    author_id  INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (key, version)
);

CREATE TABLE evaluation_reports (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL,
    type_id      INTEGER NOT NULL DEFAULT 0,
    level        INTEGER NOT NULL DEFAULT 0,
    figures      TEXT NOT NULL,            -- JSON []kpi.Figure as computed
    versions     TEXT NOT NULL,            -- JSON {key: version}
    summary      TEXT NOT NULL DEFAULT '',
    commentary   TEXT NOT NULL DEFAULT '{}',
    author_id    INTEGER NOT NULL REFERENCES users(id),
    signed_by    INTEGER REFERENCES users(id),
    signed_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1,
    CHECK (signed_by IS NULL OR signed_by <> author_id)
);
CREATE INDEX evaluation_reports_period ON evaluation_reports(period);

CREATE TABLE accuracy_audits (
    id          INTEGER PRIMARY KEY,
    notice_id   INTEGER NOT NULL REFERENCES notices(id),
    quarter     TEXT NOT NULL,
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    accurate    BOOLEAN NOT NULL,
    finding     TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL,
    UNIQUE (notice_id, quarter)
);

ALTER TABLE crisis_reviews ADD COLUMN due_at TIMESTAMP;
ALTER TABLE crisis_reviews ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE crisis_reviews ADD COLUMN signed_by INTEGER REFERENCES users(id);
ALTER TABLE crisis_reviews ADD COLUMN signed_at TIMESTAMP;
ALTER TABLE crisis_reviews ADD COLUMN facts TEXT NOT NULL DEFAULT '';

CREATE INDEX crises_occurred ON crises(occurred_at);
CREATE INDEX crisis_clocks_due ON crisis_clocks(due_at);
