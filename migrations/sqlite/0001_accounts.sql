-- Officer accounts, sessions, failed logins and the audit log.
-- Times are Unix milliseconds (BIGINT) so both backends store and compare them alike.

CREATE TABLE officers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    login         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin', 'trader', 'system')),
    agency        TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT    NOT NULL UNIQUE,
    officer_id   INTEGER NOT NULL REFERENCES officers (id),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    revoked_at   BIGINT,
    address      TEXT
);
CREATE INDEX sessions_officer ON sessions (officer_id);

CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT   NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX login_failures_login_at ON login_failures (login, at);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      BIGINT NOT NULL,
    actor   TEXT,
    action  TEXT   NOT NULL,
    target  TEXT,
    address TEXT,
    outcome TEXT   NOT NULL
);
