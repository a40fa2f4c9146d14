-- One row that /readyz updates to prove that a write can commit in time:
-- a stalled writer (a lock held elsewhere, a full disk) makes crisisdesk
-- not ready even though reads still answer.
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TIMESTAMP NOT NULL
);
INSERT INTO write_probe (id, at) VALUES (1, CURRENT_TIMESTAMP);
