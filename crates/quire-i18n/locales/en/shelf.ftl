# Shelf: shelving carts, shelf browse, shelf reading (inventory).

nav-shelf = Shelving
shelf-carts-title = Shelving carts
shelf-carts-lead = Returned books waiting to go back on the shelves, in the exact order of the shelves. Print the list, shelve, then scan each book to confirm.
shelf-all-locations = All locations
shelf-carts-show = Show cart
shelf-cart-heading = { $branch }: { $count ->
    [one] one book to shelve
   *[other] { $count } books to shelve
}
shelf-cart-auto = Books left on the cart become available by themselves after { $minutes } minutes.
shelf-scan-shelved = Scan a shelved book
shelf-scan-shelved-hint = Scan each book as you put it on the shelf; the scanner's Enter confirms it.
shelf-shelved-button = Shelved
shelf-shelved-done = { $count ->
    [one] One book is back on the shelf:
   *[other] { $count } books are back on the shelf:
}
shelf-refused-unknown-item = No item has the barcode { $barcode }.
shelf-refused-not-reshelving = { $barcode } is not on a cart (status: { $status }).
shelf-print = Print the list
shelf-cart-empty = The cart is empty.
shelf-col-title = Title
shelf-col-since = On the cart since
shelf-inventory-title = Shelf reading
shelf-inventory-lead = Choose a section, scan the books in the order they stand, and Quire tells you what is out of order, missing, or wrongly recorded.
shelf-inventory-start = Read a section
shelf-inventory-next = Read the next section
shelf-no-location = No location
shelf-range-hint = Optional: the first and last call numbers of the section.
shelf-inventory-scan-hint = One barcode per line, in shelf order (left to right, top to bottom).
shelf-inventory-check = Check the section
shelf-report-title = { $scanned } scanned, { $expected } expected on the shelf
shelf-report-summary = Out of order: { $ooo }. Missing: { $missing }. Belong elsewhere: { $elsewhere }. Wrong status: { $wrong }.
shelf-report-out-of-order = Out of order
shelf-report-missing = Expected but not scanned
shelf-report-elsewhere = Belong elsewhere
shelf-report-wrong-status = On the shelf but recorded otherwise
shelf-report-unknown = Unknown barcodes
shelf-report-duplicates = Scanned twice
shelf-report-all-good = Everything is in order.
shelf-col-position = Scan no.
shelf-col-item = Book
shelf-col-belongs = Belongs
shelf-col-action = Action
shelf-belongs-between = between { $after } and { $before }
shelf-belongs-after = after { $after }
shelf-belongs-before = before { $before }
shelf-belongs-at = belongs at { $branch }, { $location }
shelf-mark-missing = Mark { $barcode } missing
shelf-fix-found = Found: make { $barcode } available
shelf-fix-needs-circulation = A circulation clerk can fix this.
shelf-fix-title = Status changed
shelf-fix-done = { $barcode }: { $from } → { $to }.
shelf-fix-loan-closed = The loan was closed.
shelf-back-to-inventory = Back to shelf reading
shelf-browse-title = Browse the shelf
shelf-browse-back = Back to the record
shelf-browse-lead = The books next to this one on the shelf at { $branch } ({ $location }).
shelf-browse-pages = Shelf pages
shelf-browse-prev = Earlier on the shelf
shelf-browse-next = Further along the shelf
shelf-browse-empty = Nothing else on this shelf.
shelf-record-heading = On the shelf nearby
shelf-record-browse = Browse the shelf
field-barcodes = Barcodes
field-from = From call number
field-to = To call number
field-after = Page after
field-before = Page before
field-minutes = Minutes
reason-too-many = has too many entries (at most 5000)
reason-invalid-barcode = contains something that is not a barcode (letters and digits only)
reason-range-reversed = comes before the first call number
reason-unknown-item = no item on this shelf has this id
reason-not-reshelving = is not on a shelving cart
reason-status-ok = already has a status that fits a book on the shelf
reason-cannot-mark-missing = cannot be marked missing in its current status
audit-action-shelve = Shelved
audit-action-auto-shelve = Shelved automatically
audit-action-inventory = Shelf reading
audit-action-mark-missing = Marked missing
entity-inventory_run = Shelf reading
entity-setting = Setting
