-- Shelf lists in pages (keyset on call number sort key + id): the index
-- behind carts ends with the item id so that "next page after (key, id)"
-- is one index range scan in id order among equal keys (PostgreSQL needs
-- the id in the index; SQLite has it there as the rowid).
-- Keep in step with ../sqlite/0013_shelf_pages.sql.

DROP INDEX items_status_shelf;
CREATE INDEX items_status_shelf ON items(status, branch_id, location_id, call_number_sort, id);
DROP INDEX items_shelf;
CREATE INDEX items_shelf ON items(branch_id, location_id, call_number_sort, id);
