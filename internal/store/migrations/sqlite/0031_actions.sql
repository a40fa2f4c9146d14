-- One action list: actions from meetings, drills, post-crisis reviews,
-- risks and feedback. The drills' improvement actions move here with their
-- ids, so links and queued reminders keep working.
CREATE TABLE actions (
    id            INTEGER PRIMARY KEY,
    source_kind   TEXT NOT NULL,
    source_id     INTEGER NOT NULL,
    crisis_id     INTEGER REFERENCES crises(id),
    text          TEXT NOT NULL,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    department_id INTEGER REFERENCES departments(id),
    due           TIMESTAMP NOT NULL,
    link_kind     TEXT NOT NULL DEFAULT '',
    link_ref      TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    done_by       INTEGER REFERENCES users(id),
    done_at       TIMESTAMP,
    verified_by   INTEGER REFERENCES users(id),
    verified_at   TIMESTAMP,
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX actions_source ON actions(source_kind, source_id, state);
CREATE INDEX actions_owner ON actions(owner_id, state, due);
CREATE INDEX actions_department ON actions(department_id, state, due);

INSERT INTO actions (id, source_kind, source_id, text, owner_id, department_id, due, link_kind, link_ref, state,
                     done_by, done_at, verified_by, verified_at, created_at)
SELECT a.id, 'drill', a.drill_id, a.text, a.owner_id, u.department_id, a.due, a.link_kind, a.link_ref, a.state,
       a.done_by, a.done_at, a.verified_by, a.verified_at, a.created_at
  FROM drill_actions a LEFT JOIN users u ON u.id = a.owner_id;

DROP TABLE drill_actions;
