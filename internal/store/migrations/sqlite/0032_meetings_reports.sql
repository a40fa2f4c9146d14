-- The programme's weekly meetings and its monthly progress report.
CREATE TABLE meeting_series (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    location     TEXT NOT NULL DEFAULT '',
    first_start  TIMESTAMP NOT NULL,
    duration_min INTEGER NOT NULL,
    interval_wks INTEGER NOT NULL DEFAULT 1,
    invitees     TEXT NOT NULL DEFAULT '[]', -- JSON user ids
    organiser_id INTEGER REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    series_id    INTEGER NOT NULL REFERENCES meeting_series(id),
    starts_at    TIMESTAMP NOT NULL,
    agenda       TEXT NOT NULL DEFAULT '{}',  -- JSON: sections of message keys and args
    attendees    TEXT NOT NULL DEFAULT '[]',  -- JSON user ids
    decisions    TEXT NOT NULL DEFAULT '[]',  -- JSON strings
    notes        TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    author_id    INTEGER REFERENCES users(id),
    approved_by  INTEGER REFERENCES users(id),
    approved_at  TIMESTAMP,
    sent_at      TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (series_id, starts_at)
);
CREATE INDEX meetings_series ON meetings(series_id, starts_at);

CREATE TABLE monthly_reports (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL UNIQUE,          -- YYYY-MM, the month reported on
    body         TEXT NOT NULL DEFAULT '{}',    -- JSON: generated items, figures, the coordinator's text
    recipients   TEXT NOT NULL DEFAULT '[]',    -- JSON e-mail addresses
    state        TEXT NOT NULL,
    author_id    INTEGER REFERENCES users(id),  -- who last edited it
    approved_by  INTEGER REFERENCES users(id),
    approved_at  TIMESTAMP,
    submitted_at TIMESTAMP,
    due_at       TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1
);
