-- The work plan (工作計劃): programmes of tasks and sub-tasks with an owner,
-- first and last day, resources, importance, expected outcome, status and
-- percentage, and dependencies between tasks of the same programme. A
-- task of the template has a key and takes its texts from the catalogues
-- until someone writes their own.
CREATE TABLE work_programmes (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    starts_on     TIMESTAMP NOT NULL,
    created_by    BIGINT,
    created_at    TIMESTAMP NOT NULL,
    lock_version  BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE work_tasks (
    id            INTEGER PRIMARY KEY,
    programme_id  BIGINT NOT NULL REFERENCES work_programmes (id),
    parent_id     BIGINT REFERENCES work_tasks (id),
    tpl_key         TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    owner_id      BIGINT REFERENCES users (id),
    start_on      TIMESTAMP NOT NULL,
    end_on        TIMESTAMP NOT NULL,
    resources     TEXT NOT NULL DEFAULT '',
    importance    TEXT NOT NULL,
    outcome       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    percent       INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    depends_on    TEXT NOT NULL DEFAULT '[]', -- JSON: ids of tasks of the same programme
    position      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    lock_version  BIGINT NOT NULL DEFAULT 1,
    CHECK (end_on >= start_on)
);
CREATE INDEX work_tasks_programme ON work_tasks (programme_id, position);
