-- The lessons library (issue 18): closed crises, their reviews, drill
-- reports and published notices as searchable documents, in full text
-- over a trigram index so that Chinese, which has no spaces, is found.
CREATE TABLE library_docs (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,           -- crisis, review, drill, notice (later: clarification)
    ref_id    INTEGER NOT NULL,
    crisis_id INTEGER,
    type_id   INTEGER NOT NULL DEFAULT 0,
    exercise  BOOLEAN NOT NULL DEFAULT FALSE,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX library_docs_type ON library_docs(type_id, at);
CREATE VIRTUAL TABLE library_fts USING fts5(text, tokenize = 'trigram');

-- How far each source has been copied into the library.
CREATE TABLE library_sync (
    source    TEXT PRIMARY KEY,
    synced_to TIMESTAMP NOT NULL
);

CREATE INDEX crises_updated ON crises(updated_at);
CREATE INDEX notices_updated ON notices(updated_at);
CREATE INDEX drill_reports_updated ON drill_reports(updated_at);
CREATE INDEX crisis_reviews_updated ON crisis_reviews(updated_at);
