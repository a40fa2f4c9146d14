-- What waits for each person: an in-app alert when a notice is submitted
-- (to those who decide on it) or returned (to its author), e-mailed too
-- when a mail server is configured. No sentence is stored: the pages and
-- e-mails word it in the reader's language.
CREATE TABLE notice_alerts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    notice_id  INTEGER NOT NULL REFERENCES notices(id),
    kind       TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE INDEX notice_alerts_user ON notice_alerts(user_id, read_at);
