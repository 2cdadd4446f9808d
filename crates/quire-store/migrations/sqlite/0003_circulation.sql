-- Circulation: loans, the policy matrix (circ_rules), the fees ledger.
-- Keep in step with ../postgres/0003_circulation.sql.

CREATE TABLE loans (
    id                 INTEGER PRIMARY KEY,
    item_id            INTEGER NOT NULL REFERENCES items(id),
    -- NULL once the returned loan is anonymised.
    patron_id          INTEGER REFERENCES patrons(id),
    checkout_branch_id INTEGER NOT NULL REFERENCES branches(id),
    checked_out_at     TEXT NOT NULL,
    due_at             TEXT NOT NULL,
    returned_at        TEXT,
    checkin_branch_id  INTEGER REFERENCES branches(id),
    renewals           INTEGER NOT NULL DEFAULT 0,
    rule_id            INTEGER,
    fine_minor         INTEGER NOT NULL DEFAULT 0,
    created_by         TEXT NOT NULL
);
-- The database itself forbids an item being on loan twice.
CREATE UNIQUE INDEX loans_open_item ON loans(item_id) WHERE returned_at IS NULL;
CREATE INDEX loans_patron ON loans(patron_id, returned_at);

CREATE TABLE circ_rules (
    id              INTEGER PRIMARY KEY,
    patron_category TEXT,
    item_type       TEXT,
    branch_code     TEXT,
    -- quire_domain::circ::form::PolicyForm as JSON (amounts in major units).
    policy_json     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Append-only money ledger: positive = charge, negative = payment / waiver.
CREATE TABLE fees (
    id           INTEGER PRIMARY KEY,
    patron_id    INTEGER NOT NULL REFERENCES patrons(id),
    loan_id      INTEGER REFERENCES loans(id),
    item_id      INTEGER REFERENCES items(id),
    kind         TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    note         TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX fees_patron ON fees(patron_id);
CREATE TRIGGER fees_no_update BEFORE UPDATE ON fees
BEGIN SELECT RAISE(ABORT, 'fees is append-only'); END;
CREATE TRIGGER fees_no_delete BEFORE DELETE ON fees
BEGIN SELECT RAISE(ABORT, 'fees is append-only'); END;
