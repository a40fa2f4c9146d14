-- Satisfaction surveys: the questionnaire (texts in every office
-- language, as JSON), the invitations sent once per subscriber, and the
-- answers. Answers are anonymous by construction: survey_responses and
-- survey_answers hold no address, no subscriber, no invitation and no
-- time; an invitation's token is kept only as a hash, and a spent token
-- as a different hash in survey_spent, which has no other column, so
-- neither table can be joined to the other or to an answer.
CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY,
    crisis_id    INTEGER UNIQUE REFERENCES crises(id),
    title        TEXT NOT NULL,           -- JSON survey.Texts
    questions    TEXT NOT NULL,           -- JSON []survey.Question
    state        TEXT NOT NULL,           -- draft, sent, closed
    send_by      TIMESTAMP,
    sent_at      TIMESTAMP,
    closed_at    TIMESTAMP,
    responses    INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE survey_invitations (
    id            INTEGER PRIMARY KEY,
    survey_id     INTEGER NOT NULL REFERENCES surveys(id),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    token_hash    TEXT UNIQUE,             -- SHA-256 of the link's token, set when it is sent
    sent_at       TIMESTAMP,
    failed        TEXT NOT NULL DEFAULT '',
    UNIQUE (survey_id, subscriber_id)
);
CREATE INDEX survey_invitations_unsent ON survey_invitations(survey_id, sent_at);

CREATE TABLE survey_spent (
    mark TEXT PRIMARY KEY                 -- SHA-256 of "spent:" and the token: answered once
) WITHOUT ROWID;

CREATE TABLE survey_responses (
    id        INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys(id)
);

CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL REFERENCES survey_responses(id),
    survey_id   INTEGER NOT NULL REFERENCES surveys(id),
    question    TEXT NOT NULL,
    value       TEXT NOT NULL DEFAULT '',  -- "1"…"5" for a scale, an option's key for a choice
    text        TEXT NOT NULL DEFAULT ''   -- free text
);
CREATE INDEX survey_answers_survey ON survey_answers(survey_id, question);

CREATE TABLE survey_optouts (
    subscriber_id INTEGER PRIMARY KEY REFERENCES subscribers(id) ON DELETE CASCADE,
    at            TIMESTAMP NOT NULL
);
