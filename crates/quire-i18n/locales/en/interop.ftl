# Copy cataloging (Z39.50 / SRU targets) and other interoperability screens.

nav-copy = Copy cataloging
copy-title = Copy cataloging
copy-lead = Search other libraries' catalogs and copy a record into yours instead of typing it.
copy-no-targets = No servers to search yet. An administrator adds them under Z39.50 servers.
copy-targets = Search these servers
copy-kind = Search by
copy-kind-isbn = ISBN
copy-kind-title = Title and author
copy-kind-lccn = LCCN
copy-term = ISBN, LCCN or title
copy-term-hint = For a title search you may also fill in the author.
copy-author = Author
copy-search = Search
copy-results = Results
copy-target-error = This server did not answer:
copy-hits = { $count ->
    [one] 1 record found
   *[other] { $count } records found
}
copy-col-author = Author
copy-col-date = Date
copy-col-isbn = ISBN
copy-col-001 = Control number (001)
copy-col-source = Source
copy-import = Import “{ $title }”
copy-import-anyway = Import as a new record anyway
copy-open-editor = Open it in the MARC editor
copy-duplicates-title = This record may already be in your catalog
copy-duplicates-lead = “{ $title }” from { $source } matches these records of your catalog. Open one of them, or import the copy as a new record.
copy-match-isbn = same ISBN
copy-match-lccn = same LCCN
copy-match-control-number = same control number
notice-copy-imported = The record was copied into your catalog.
notice-target-deleted = The server was removed.

ztargets-title = Z39.50 servers
ztargets-lead = The catalogs that copy cataloging searches: Z39.50 servers (host, port, database) or SRU servers (base URL).
ztargets-caption = { $count ->
    [one] 1 server
   *[other] { $count } servers
}
ztargets-address = Address
ztargets-state = State
ztargets-enabled = In use
ztargets-disabled = Not in use
ztargets-none = No servers yet.
ztargets-new = Add a server
ztargets-create = Add server
ztargets-save = Save
ztargets-delete = Remove this server
ztargets-delete-button = Remove { $name }
ztargets-host-hint = For example lx2.loc.gov. Leave empty for an SRU-only server.
ztargets-sru-hint = Optional: an http:// SRU base URL, used instead of Z39.50.
field-host = Host
field-port = Port
field-database = Database
field-syntax = Record syntax
field-charset = Character set
field-sru-url = SRU base URL
field-t = Servers
syntax-usmarc = MARC 21, binary ISO 2709
syntax-marcxml = MARCXML (MARC 21 in XML)
charset-auto = As the record says (leader/09)
charset-utf-8 = UTF-8 (Unicode)
charset-marc-8 = MARC-8 (older records)
reason-invalid-host = is not a host name or address
reason-invalid-port = must be a number from 1 to 65535
reason-invalid-url = must be an http:// or https:// address
reason-host-or-sru-required = give a host or an SRU base URL
reason-invalid-database = must be a database name without spaces
reason-choose-target = choose at least one server
reason-unreadable-marc = could not be read as a MARC record
reason-missing-title = has no title (245)
entity-z_target = Z39.50 server
audit-action-remove = removed
