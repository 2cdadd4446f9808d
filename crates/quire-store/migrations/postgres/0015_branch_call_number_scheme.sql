-- A branch's own default call number scheme (`lc`, `dewey`, `other`;
-- NULL: the library's default, setting `callnumber.default_scheme`).
-- Used when an item names no scheme and the record's MARC does not decide.
-- Keep in step with ../sqlite/0015_branch_call_number_scheme.sql.

ALTER TABLE branches ADD COLUMN default_call_number_scheme TEXT;
