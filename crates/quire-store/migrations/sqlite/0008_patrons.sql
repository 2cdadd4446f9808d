-- Patrons and cards: registration details, privacy choice, desk notes,
-- replaced (old) cards, manual blocks. Keep in step with ../postgres/0008_patrons.sql.

ALTER TABLE patrons ADD COLUMN address TEXT;
ALTER TABLE patrons ADD COLUMN guardian TEXT;
-- `email`, `sms`, `print` or `none`.
ALTER TABLE patrons ADD COLUMN notice_pref TEXT NOT NULL DEFAULT 'email';
-- The patron opted in to keep a reading history (returned loans keep their link).
ALTER TABLE patrons ADD COLUMN keep_history BOOLEAN NOT NULL DEFAULT 0;
-- Desk notes, shown prominently to staff.
ALTER TABLE patrons ADD COLUMN notes TEXT;
CREATE INDEX patrons_email ON patrons(lower(email));
CREATE INDEX patrons_phone ON patrons(phone);

-- Cards that were replaced (lost, stolen, worn): invalid for circulation
-- but still found by a search.
CREATE TABLE patron_old_cards (
    barcode     TEXT PRIMARY KEY NOT NULL,
    patron_id   INTEGER NOT NULL REFERENCES patrons(id),
    reason      TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX patron_old_cards_patron ON patron_old_cards(patron_id);

-- Manual blocks set by staff (automatic ones are derived, never stored).
CREATE TABLE patron_blocks (
    id             INTEGER PRIMARY KEY,
    patron_id      INTEGER NOT NULL REFERENCES patrons(id),
    note           TEXT NOT NULL,
    stops_checkout BOOLEAN NOT NULL DEFAULT 1,
    stops_renew    BOOLEAN NOT NULL DEFAULT 1,
    stops_hold     BOOLEAN NOT NULL DEFAULT 1,
    overridable    BOOLEAN NOT NULL DEFAULT 1,
    until_on       TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    lifted_at      TEXT,
    lifted_by      TEXT
);
CREATE INDEX patron_blocks_patron ON patron_blocks(patron_id, lifted_at);
