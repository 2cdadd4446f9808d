-- SIP2 devices: the accounts self-check machines and sorters log in with
-- (93 CN/CO), and the sort-bin rules of checkin (10 CL).
-- Keep in step with ../postgres/0005_sip2.sql.

CREATE TABLE sip2_accounts (
    id                INTEGER PRIMARY KEY,
    login             TEXT NOT NULL UNIQUE,
    -- argon2id PHC string.
    password_hash     TEXT NOT NULL,
    -- AO institution id the device sends and gets back.
    institution       TEXT NOT NULL,
    -- Where the device stands: checkins happen here.
    branch_id         INTEGER NOT NULL REFERENCES branches(id),
    location_code     TEXT,
    -- Screen messages (AF): en, fil or vi.
    locale            TEXT NOT NULL DEFAULT 'en',
    -- utf-8, iso-8859-1 or cp850.
    charset           TEXT NOT NULL DEFAULT 'utf-8',
    checksum_required BOOLEAN NOT NULL DEFAULT 0,
    login_required    BOOLEAN NOT NULL DEFAULT 1,
    -- Which optional fields and extensions the device gets (JSON object).
    options_json      TEXT NOT NULL DEFAULT '{}',
    active            BOOLEAN NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- Sort bins: the most specific matching rule wins (branch, location,
-- item type, route); NULL matches anything.
CREATE TABLE sip2_sort_bins (
    id            INTEGER PRIMARY KEY,
    branch_id     INTEGER REFERENCES branches(id),
    location_code TEXT,
    item_type     TEXT,
    -- reshelve, transit or hold-shelf (CheckinView::route).
    route         TEXT,
    bin           TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
