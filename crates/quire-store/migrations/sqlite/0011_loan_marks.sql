-- Lost and claims-returned loans (issue 5). Keep in step with
-- ../postgres/0011_loan_marks.sql.

-- One row each time staff mark an open loan lost or claims returned. The
-- loan stays open (the item status says lost / claims-returned); the row
-- is cleared when the item is found at checkin, when staff reverse the mark,
-- or when a claim becomes lost. `loan_id` is set to NULL when the loan is
-- anonymised; `patron_id` stays so the patron's count of claims survives.
CREATE TABLE loan_marks (
    id                INTEGER PRIMARY KEY,
    loan_id           INTEGER REFERENCES loans(id),
    patron_id         INTEGER NOT NULL REFERENCES patrons(id),
    kind              TEXT NOT NULL CHECK (kind IN ('lost', 'claims-returned')),
    reason            TEXT NOT NULL,
    marked_at         TEXT NOT NULL,
    marked_by         TEXT NOT NULL,
    -- Charged when marked lost (minor units; 0 for a claim).
    replacement_minor INTEGER NOT NULL DEFAULT 0,
    processing_minor  INTEGER NOT NULL DEFAULT 0,
    fine_minor        INTEGER NOT NULL DEFAULT 0,
    cleared_at        TEXT,
    -- 'found' (checked in), 'reversed' (staff undo), 'lost' (claim became lost).
    cleared_how       TEXT CHECK (cleared_how IN ('found', 'reversed', 'lost')),
    cleared_by        TEXT,
    cleared_note      TEXT
);
CREATE UNIQUE INDEX loan_marks_open ON loan_marks(loan_id) WHERE cleared_at IS NULL;
CREATE INDEX loan_marks_patron ON loan_marks(patron_id, kind);
