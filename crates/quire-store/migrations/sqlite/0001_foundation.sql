-- Quire foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- a test compares the table and column names of both backends.
-- Timestamps are RFC 3339 UTC text (sqlx chrono encoding); booleans are 0/1.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE branches (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES branches(id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('consortium', 'system', 'branch')),
    timezone   TEXT NOT NULL,
    address    TEXT,
    phone      TEXT,
    email      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE opening_hours (
    branch_id   INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens_min   INTEGER NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min  INTEGER NOT NULL CHECK (closes_min BETWEEN 0 AND 1440),
    PRIMARY KEY (branch_id, weekday, opens_min),
    CHECK (opens_min < closes_min)
);

CREATE TABLE closed_days (
    branch_id INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    reason    TEXT,
    PRIMARY KEY (branch_id, day)
);

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY,
    branch_id  INTEGER NOT NULL REFERENCES branches(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    circulates BOOLEAN NOT NULL DEFAULT 1,
    holdable   BOOLEAN NOT NULL DEFAULT 1,
    public     BOOLEAN NOT NULL DEFAULT 1,
    UNIQUE (branch_id, code)
);

CREATE TABLE staff_users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    email               TEXT,
    password_hash       TEXT NOT NULL,
    locale              TEXT,
    active              BOOLEAN NOT NULL DEFAULT 1,
    home_branch_id      INTEGER REFERENCES branches(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE staff_roles (
    user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'cataloger', 'circulation', 'volunteer')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures(key, at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_label   TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT,
    before_json   TEXT,
    after_json    TEXT,
    request_id    TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);

-- The audit log is append-only: the database itself refuses edits.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
