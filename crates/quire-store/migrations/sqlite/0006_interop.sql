-- Copy cataloging: the Z39.50 / SRU servers staff search for records.
-- Keep in step with ../postgres/0006_interop.sql.

CREATE TABLE z_targets (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    -- Z39.50: host, port and database; NULL host when only SRU is used.
    host          TEXT,
    port          INTEGER,
    database_name TEXT NOT NULL,
    -- 'usmarc' or 'marcxml' (record syntax asked for).
    syntax        TEXT NOT NULL,
    -- Character set of the target's MARC records: 'utf-8' or 'marc-8'
    -- ('auto' follows leader/09).
    charset       TEXT NOT NULL,
    -- SRU base URL, used instead of Z39.50 when set.
    sru_url       TEXT,
    enabled       BOOLEAN NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
