-- SIP2 Item Status Update (19): the item properties (CH) a device stores
-- on an item (e.g. RFID security or AMH routing data), returned in 18.
-- NULL: never set. Keep in step with ../sqlite/0010_sip2_item_properties.sql.
ALTER TABLE items ADD COLUMN sip2_properties TEXT;
