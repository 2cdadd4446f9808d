-- Patron self-service (OPAC sessions) and the notices outbox.
-- Keep in step with ../postgres/0009_patron_portal.sql.

-- Patron sessions are separate from staff sessions: their own table and
-- cookie, tokens stored as SHA-256 like staff sessions.
CREATE TABLE patron_sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    patron_id    INTEGER NOT NULL REFERENCES patrons(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX patron_sessions_patron ON patron_sessions(patron_id);

-- The notices outbox: one row per notice ever generated. `dedupe_key` makes
-- the sweep idempotent (a notice is generated at most once).
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    patron_id       INTEGER NOT NULL REFERENCES patrons(id),
    kind            TEXT NOT NULL CHECK (kind IN ('due-soon', 'overdue', 'hold-ready')),
    dedupe_key      TEXT NOT NULL UNIQUE,
    loan_id         INTEGER REFERENCES loans(id),
    hold_id         INTEGER,
    locale          TEXT NOT NULL,
    recipient       TEXT,
    -- Message arguments (title, due date, branch…) as JSON; rendered at send time.
    args_json       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    skip_reason     TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX notices_pending ON notices(status, next_attempt_at);
CREATE INDEX notices_patron ON notices(patron_id);
