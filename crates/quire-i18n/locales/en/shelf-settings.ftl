# Shelf lists in pages, the per-library default call number scheme.

field-size = Items per page
field-jump = Jump to call number
shelf-page-size = Items per page
shelf-jump = Jump to call number
shelf-jump-hint = The list starts at the first book at or after this call number.
shelf-jump-past-end = Nothing on the cart sorts at or after { $callnumber }: this is the last page.
shelf-pages = Pages of the cart
shelf-pages-end = Pages of the cart (end of the list)
shelf-page-position = Items { $first }–{ $last } of { $total }
shelf-page-first = First page
shelf-page-prev = Previous page
shelf-page-next = Next page
shelf-page-last = Last page
shelf-print-all = Print the whole cart ({ $total } items)

scheme-settings-title = Call number scheme
scheme-settings-lead = The scheme a call number is read in when the item names none and the record's 050, 082, 090 or 092 field does not decide. Items already saved keep their scheme.
scheme-settings-hint = Used for new and edited items, imports and "jump to call number".
field-scheme = Default scheme
scheme-guess = None: guess from each call number
scheme-effective = Read as { $scheme }: { $why }
scheme-why-item = chosen on this item.
scheme-why-marc = the record's { $tag } field says so.
scheme-why-library-default = the library's default scheme.
scheme-why-guessed = guessed from the call number (the library has no default scheme).
scheme-detect-default = "Detect from the call number" takes the scheme of the record's 050/082/090/092 field when the call number is one of them, else the library's default: { $scheme }.
scheme-detect-guess = "Detect from the call number" takes the scheme of the record's 050/082/090/092 field when the call number is one of them, else guesses from the call number.
shelf-print-cut = The list stopped here: the cart could not be read to its end. Reload the page to try again.
