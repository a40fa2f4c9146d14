-- Signing in: a ledger of attempts for throttling and for showing owners
-- their failed sign-ins, browsers that signed in before, sign-ins waiting
-- for a second factor, TOTP secrets with recovery codes, identities at the
-- office's OpenID Connect provider and authorisation requests in flight.
DROP TABLE signin_failures;

CREATE TABLE signin_attempts (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,                                    -- the name given, lower case
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,   -- when the name is a user's
    address TEXT NOT NULL,
    device  TEXT NOT NULL DEFAULT '',  -- hash of a device cookie valid for the user, if any
    agent   TEXT NOT NULL DEFAULT '',  -- the kind of user agent, never its full text
    factor  TEXT NOT NULL,             -- password or code
    outcome TEXT NOT NULL,             -- pending, failed or forgiven
    at      TIMESTAMP NOT NULL
);
CREATE INDEX signin_attempts_name ON signin_attempts(name, at);
CREATE INDEX signin_attempts_address ON signin_attempts(address, at);
CREATE INDEX signin_attempts_user ON signin_attempts(user_id, at);

ALTER TABLE users ADD COLUMN last_signin_at TIMESTAMP;
ALTER TABLE users ADD COLUMN previous_signin_at TIMESTAMP;

ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

CREATE TABLE signin_devices (
    secret_hash TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX signin_devices_user ON signin_devices(user_id);

CREATE TABLE signin_challenges (
    secret_hash TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address     TEXT NOT NULL,
    user_agent  TEXT NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX signin_challenges_user ON signin_challenges(user_id);

CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_counter INTEGER NOT NULL DEFAULT 0,  -- the newest time step accepted: no code is taken twice
    created_at   TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP                     -- NULL while enrolment waits for a first code
);

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    used_at   TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

CREATE TABLE user_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities(user_id);

CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
