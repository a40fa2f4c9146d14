-- Training (培訓): courses, sessions and attendance, certificates with an
-- expiry, and the shared library of training materials with versions.
CREATE TABLE training_courses (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    valid_months  INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE training_sessions (
    id          INTEGER PRIMARY KEY,
    course_id   BIGINT NOT NULL REFERENCES training_courses(id),
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP,
    trainer     TEXT NOT NULL,
    venue       TEXT NOT NULL
);

CREATE TABLE training_attendance (
    session_id  BIGINT NOT NULL REFERENCES training_sessions(id),
    member_id   BIGINT NOT NULL REFERENCES team_members(id),
    PRIMARY KEY (session_id, member_id)
);

CREATE TABLE training_certificates (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES team_members(id),
    course_id   BIGINT NOT NULL REFERENCES training_courses(id),
    session_id  BIGINT REFERENCES training_sessions(id),
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP,
    reference   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX training_certificates_member ON training_certificates (member_id);
CREATE INDEX training_certificates_expiry ON training_certificates (expires_at);

CREATE TABLE training_materials (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE training_material_versions (
    material_id   BIGINT NOT NULL REFERENCES training_materials(id),
    number        INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    body          BLOB NOT NULL,
    uploaded_by   BIGINT NOT NULL DEFAULT 0,
    uploaded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (material_id, number)
);
