-- Shelf lists in pages (keyset on call number sort key + id): the index
-- behind carts ends with the item id so that "next page after (key, id)"
-- is one index range scan in id order among equal keys. On SQLite the
-- rowid (items.id) already ends every index; the index is rebuilt only to
-- keep the two schemas in step.
-- Keep in step with ../postgres/0013_shelf_pages.sql.

DROP INDEX items_status_shelf;
CREATE INDEX items_status_shelf ON items(status, branch_id, location_id, call_number_sort, id);
DROP INDEX items_shelf;
CREATE INDEX items_shelf ON items(branch_id, location_id, call_number_sort, id);
