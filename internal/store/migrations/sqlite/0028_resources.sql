-- Resources: the inventory of supplies and its movements, the budget
-- lines and the spending recorded against them, and the weekly reviews.
CREATE TABLE resource_items (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    unit        TEXT NOT NULL,
    quantity    BIGINT NOT NULL CHECK (quantity >= 0),
    minimum     BIGINT NOT NULL DEFAULT 0 CHECK (minimum >= 0),
    location    TEXT NOT NULL DEFAULT '',
    acquisition TEXT NOT NULL,             -- bought, leased
    lease_end   TIMESTAMP,
    expiry      TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX resource_items_name ON resource_items(category, name);

CREATE TABLE resource_movements (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES resource_items(id),
    delta     BIGINT NOT NULL,
    reason    TEXT NOT NULL,               -- allocate, return, restock, adjust
    crisis_id INTEGER REFERENCES crises(id),
    drill_id  INTEGER REFERENCES drills(id),
    note      TEXT NOT NULL DEFAULT '',
    actor_id  INTEGER REFERENCES users(id),
    at        TIMESTAMP NOT NULL,
    qty_after BIGINT NOT NULL              -- the quantity after it
);
CREATE INDEX resource_movements_item ON resource_movements(item_id, at);
CREATE INDEX resource_movements_crisis ON resource_movements(crisis_id);

CREATE TABLE budget_lines (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    source     TEXT NOT NULL,              -- allocation, special_funds
    cost_item  TEXT NOT NULL,              -- training, drills, emergency_supplies
    year       INTEGER NOT NULL,
    amount     BIGINT NOT NULL CHECK (amount > 0), -- cents
    spent      BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE budget_spending (
    id              INTEGER PRIMARY KEY,
    line_id         INTEGER NOT NULL REFERENCES budget_lines(id),
    amount          BIGINT NOT NULL CHECK (amount > 0),
    crisis_id       INTEGER REFERENCES crises(id),
    drill_id        INTEGER REFERENCES drills(id),
    note            TEXT NOT NULL,
    override        BOOLEAN NOT NULL DEFAULT FALSE,
    override_reason TEXT NOT NULL DEFAULT '',
    actor_id        INTEGER REFERENCES users(id),
    at              TIMESTAMP NOT NULL
);
CREATE INDEX budget_spending_line ON budget_spending(line_id, at);

CREATE TABLE resource_reviews (
    id          INTEGER PRIMARY KEY,
    reviewer_id INTEGER REFERENCES users(id),
    at          TIMESTAMP NOT NULL,
    decisions   TEXT NOT NULL,
    shortfalls  INTEGER NOT NULL,
    next_due    TIMESTAMP NOT NULL
);
