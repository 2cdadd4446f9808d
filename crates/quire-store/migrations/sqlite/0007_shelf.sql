-- Shelf: when an item's status last changed (the reshelving cart's clock),
-- an index for shelf-order lists by status, and the shelf-reading runs.
-- Keep in step with ../postgres/0007_shelf.sql.

ALTER TABLE items ADD COLUMN status_changed_at TEXT;
CREATE INDEX items_status_shelf ON items(status, branch_id, location_id, call_number_sort);

CREATE TABLE inventory_runs (
    id               INTEGER PRIMARY KEY,
    branch_id        INTEGER NOT NULL REFERENCES branches(id),
    location_id      INTEGER REFERENCES locations(id),
    from_call_number TEXT,
    to_call_number   TEXT,
    scanned          INTEGER NOT NULL,
    out_of_order     INTEGER NOT NULL,
    missing          INTEGER NOT NULL,
    elsewhere        INTEGER NOT NULL,
    wrong_status     INTEGER NOT NULL,
    report_json      TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX inventory_runs_place ON inventory_runs(branch_id, location_id, created_at);
