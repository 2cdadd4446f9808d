-- Catalog: bibliographic records, their identifiers, items; import jobs and
-- quarantine; the outbox that feeds the (derived) search index; patrons.
-- Keep in step with ../postgres/0002_catalog.sql.

CREATE TABLE bib_records (
    id                        INTEGER PRIMARY KEY,
    control_number            TEXT,
    control_number_identifier TEXT,
    -- The record itself: ISO 2709, UTF-8 (leader/09 = 'a'). The source of truth.
    marc                      BLOB NOT NULL,
    title                     TEXT NOT NULL,
    title_sort                TEXT NOT NULL,
    author                    TEXT,
    publisher                 TEXT,
    year                      INTEGER,
    language                  TEXT,
    format                    TEXT NOT NULL,
    suppressed                BOOLEAN NOT NULL DEFAULT 0,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    deleted_at                TEXT
);
CREATE INDEX bib_records_control ON bib_records(control_number, control_number_identifier);
CREATE INDEX bib_records_updated ON bib_records(updated_at);

CREATE TABLE bib_identifiers (
    record_id INTEGER NOT NULL REFERENCES bib_records(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('isbn', 'issn', 'lccn')),
    value     TEXT NOT NULL,
    PRIMARY KEY (record_id, kind, value)
);
CREATE INDEX bib_identifiers_value ON bib_identifiers(kind, value);

CREATE TABLE items (
    id                 INTEGER PRIMARY KEY,
    record_id          INTEGER NOT NULL REFERENCES bib_records(id),
    barcode            TEXT NOT NULL UNIQUE,
    branch_id          INTEGER NOT NULL REFERENCES branches(id),
    location_id        INTEGER REFERENCES locations(id),
    call_number        TEXT,
    call_number_scheme TEXT NOT NULL DEFAULT 'other',
    call_number_sort   TEXT,
    item_type          TEXT NOT NULL,
    status             TEXT NOT NULL,
    copy_number        TEXT,
    price_minor        INTEGER,
    notes              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_seen_at       TEXT,
    inventory_at       TEXT
);
CREATE INDEX items_record ON items(record_id);
CREATE INDEX items_shelf ON items(branch_id, location_id, call_number_sort);

CREATE TABLE outbox (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    at        TEXT NOT NULL
);

CREATE TABLE import_jobs (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    format        TEXT NOT NULL,
    options_json  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    records_done  INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL DEFAULT 0,
    replaced      INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    quarantined   INTEGER NOT NULL DEFAULT 0,
    items_created INTEGER NOT NULL DEFAULT 0,
    started_by    TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX import_jobs_fingerprint ON import_jobs(fingerprint, status);

CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    job_id       INTEGER REFERENCES import_jobs(id),
    source       TEXT NOT NULL,
    record_index INTEGER NOT NULL,
    byte_offset  INTEGER NOT NULL,
    raw          BLOB NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    resolution   TEXT
);
CREATE UNIQUE INDEX quarantine_position ON quarantine(job_id, record_index);

CREATE TABLE patrons (
    id               INTEGER PRIMARY KEY,
    barcode          TEXT NOT NULL UNIQUE,
    pin_hash         TEXT,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    category         TEXT NOT NULL,
    home_branch_id   INTEGER NOT NULL REFERENCES branches(id),
    email            TEXT,
    phone            TEXT,
    birth_date       TEXT,
    preferred_locale TEXT,
    expires_on       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX patrons_name ON patrons(last_name, first_name);
