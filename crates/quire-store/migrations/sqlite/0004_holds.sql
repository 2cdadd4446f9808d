-- Holds (title-level and item-level) and transits between branches.
-- Keep in step with ../postgres/0004_holds.sql.

CREATE TABLE holds (
    id                 INTEGER PRIMARY KEY,
    patron_id          INTEGER NOT NULL REFERENCES patrons(id),
    -- The record asked for (also set for item-level holds: the item's record).
    record_id          INTEGER NOT NULL REFERENCES bib_records(id),
    -- Item-level hold: this copy only. NULL: any suitable copy of the record.
    item_id            INTEGER REFERENCES items(id),
    pickup_branch_id   INTEGER NOT NULL REFERENCES branches(id),
    -- placed | in-transit | waiting | fulfilled | cancelled | expired
    status             TEXT NOT NULL,
    -- Higher first (staff / ILL); then placed_at, then id.
    priority           INTEGER NOT NULL DEFAULT 0,
    placed_at          TEXT NOT NULL,
    -- Suspended (kept in the queue, skipped) until this instant.
    resumes_at         TEXT,
    -- Not needed after this instant (expires while still placed).
    expires_at         TEXT,
    -- The copy captured for it (in transit to the pickup branch or on its hold shelf).
    captured_item_id   INTEGER REFERENCES items(id),
    captured_at        TEXT,
    -- Pickup deadline on the hold shelf.
    shelf_expires_at   TEXT,
    fulfilled_at       TEXT,
    cancelled_at       TEXT,
    -- staff:<username> | patron | system:<label>
    cancelled_by       TEXT,
    cancel_reason      TEXT,
    expired_at         TEXT,
    created_by         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX holds_record ON holds(record_id, status);
CREATE INDEX holds_patron ON holds(patron_id, status);
CREATE INDEX holds_pickup ON holds(pickup_branch_id, status);
-- A copy is captured for at most one active hold.
CREATE UNIQUE INDEX holds_captured_item ON holds(captured_item_id)
    WHERE status IN ('in-transit', 'waiting');

CREATE TABLE transits (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    from_branch_id  INTEGER NOT NULL REFERENCES branches(id),
    to_branch_id    INTEGER NOT NULL REFERENCES branches(id),
    -- hold | home
    reason          TEXT NOT NULL,
    hold_id         INTEGER REFERENCES holds(id),
    sent_at         TEXT NOT NULL,
    sent_by         TEXT NOT NULL,
    received_at     TEXT,
    received_by     TEXT,
    received_branch_id INTEGER REFERENCES branches(id)
);
-- An item is in at most one open transit.
CREATE UNIQUE INDEX transits_open_item ON transits(item_id) WHERE received_at IS NULL;
CREATE INDEX transits_to ON transits(to_branch_id, received_at);
CREATE INDEX transits_from ON transits(from_branch_id, received_at);
