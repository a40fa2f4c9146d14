-- The media desk: the directory of journalists, the inquiry log with the
-- notices that answered each inquiry, and the social media accounts with
-- a record of what was posted for each notice.
CREATE TABLE journalists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    outlet     TEXT NOT NULL,
    language   TEXT NOT NULL,
    beat       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    channels   TEXT NOT NULL DEFAULT '[]',   -- JSON list of channels they agreed to
    consent    BOOLEAN NOT NULL DEFAULT FALSE,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX journalists_outlet ON journalists(outlet, name);

CREATE TABLE media_inquiries (
    id            INTEGER PRIMARY KEY,
    crisis_id     INTEGER REFERENCES crises(id),
    journalist_id INTEGER REFERENCES journalists(id),
    asker         TEXT NOT NULL DEFAULT '',
    outlet        TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    question      TEXT NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    reply_by      TIMESTAMP NOT NULL,
    reply         TEXT NOT NULL DEFAULT '',
    replied_at    TIMESTAMP,
    replied_by    INTEGER REFERENCES users(id),
    notice_ids    TEXT NOT NULL DEFAULT '[]', -- JSON: the notices that answered it
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX media_inquiries_open ON media_inquiries(replied_at, reply_by);
CREATE INDEX media_inquiries_crisis ON media_inquiries(crisis_id, received_at);

CREATE TABLE social_accounts (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    handle     TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (platform, handle)
);

CREATE TABLE social_posts (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES social_accounts(id),
    notice_id  INTEGER NOT NULL REFERENCES notices(id),
    text       TEXT NOT NULL,
    url        TEXT NOT NULL DEFAULT '',
    posted_by  INTEGER REFERENCES users(id),
    posted_at  TIMESTAMP NOT NULL
);
CREATE INDEX social_posts_notice ON social_posts(notice_id, posted_at);

-- The journalists a press release (a notice whose audience is the media)
-- is e-mailed to when it is published.
CREATE TABLE press_release_recipients (
    notice_id     INTEGER NOT NULL REFERENCES notices(id),
    journalist_id INTEGER NOT NULL REFERENCES journalists(id),
    PRIMARY KEY (notice_id, journalist_id)
);

-- Press conferences: time, venue, speakers and the journalists invited.
CREATE TABLE press_conferences (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    crisis_id  INTEGER REFERENCES crises(id),
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    venue      TEXT NOT NULL,
    speakers   TEXT NOT NULL DEFAULT '[]', -- JSON list of names
    invited    TEXT NOT NULL DEFAULT '[]', -- JSON list of journalist ids
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX press_conferences_starts ON press_conferences(starts_at);
