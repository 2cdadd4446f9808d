# Quire — English interface messages.
# Keys must exist in every language (a test checks); keep the three files in the same order.

## Layout
skip-to-content = Skip to main content
nav-label = Main
nav-catalog = Catalog
nav-dashboard = Dashboard
nav-branches = Branches
nav-staff = Staff
nav-audit = Audit log
nav-api-tokens = API tokens
nav-account = My account ({ $name })
nav-staff-login = Staff login
language = Language
language-switch = Change language
logout = Log out
footer-tagline = Quire — the library system that fits on one small server.
footer-api = API documentation

## Dates and times
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
time-am = AM
time-pm = PM
weekday-0 = Monday
weekday-1 = Tuesday
weekday-2 = Wednesday
weekday-3 = Thursday
weekday-4 = Friday
weekday-5 = Saturday
weekday-6 = Sunday

## Public pages
home-title = Welcome
home-welcome = Welcome to the library
home-lead = Search our catalog for books and other materials, see which branch has a copy on the shelf, and find our opening hours below.
home-branches = Our branches
home-no-branches = No branches have been set up yet.
home-opening-hours = Opening hours
hours-closed = Closed

## Login
login-title = Staff login
login-submit = Log in
login-help = Forgot your password? Ask a library administrator to reset it.
login-username-required = Enter your user name.
login-password-required = Enter your password.

## Dashboard
dashboard-title = Dashboard
dashboard-greeting = Good to see you, { $name }
dashboard-branches = { $count ->
    [one] branch
   *[other] branches
}
dashboard-locations = { $count ->
    [one] shelving location
   *[other] shelving locations
}
dashboard-staff = { $count ->
    [one] staff account
   *[other] staff accounts
}
dashboard-sessions = { $count ->
    [one] signed-in session
   *[other] signed-in sessions
}
dashboard-records = { $count ->
    [one] catalog record
   *[other] catalog records
}
dashboard-items = { $count ->
    [one] item
   *[other] items
}
dashboard-patrons = { $count ->
    [one] patron
   *[other] patrons
}
dashboard-quarantined = { $count ->
    [one] record waiting in quarantine
   *[other] records waiting in quarantine
}
dashboard-next = Shortcuts
dashboard-link-account = Change your password
dashboard-link-api = Read the API documentation

## Account
account-title = My account
account-signed-in-as = You are signed in as { $username }.
account-change-password = Change password
account-language-hint = Your language choice is saved with your account when you change it in the header.
password-hint = At least 10 characters. A few words in a row make a strong, memorable password.

## Staff accounts
users-title = Staff accounts
users-caption = { $count ->
    [one] One staff account
   *[other] { $count } staff accounts
}
users-status = Status
users-active = Active
users-disabled = Disabled
users-new = Add a staff account
users-create = Create account
users-created = Created { $when }
users-roles-legend = What this person may do
users-access = Access
users-disable = Disable this account
users-enable = Enable this account
users-reset-password = Set a new password
username-hint = 3 to 64 characters: lower-case letters, digits, dot, dash or underscore.
role-admin = Administrator
role-cataloger = Cataloger
role-circulation = Circulation
role-volunteer = Volunteer

## Branches and locations
branches-title = Branches
branches-caption = { $count ->
    [one] One library unit
   *[other] { $count } library units
}
branches-new = Add a branch
branches-create = Create branch
branches-edit = Edit branch details
branches-no-parent = (none)
kind-branch = Branch
kind-system = Library system
kind-consortium = Consortium
code-hint = 2 to 16 characters: letters, digits, dash or underscore. Printed on slips and sent to self-check machines.
timezone-hint = For example Asia/Manila or Asia/Ho_Chi_Minh.
hours-hint = Leave both times empty on days the branch is closed.
hours-day = Day
hours-save = Save opening hours
locations-title = Shelving locations
locations-none = No shelving locations yet.
locations-new = Add a shelving location
locations-options = Rules for items shelved here
locations-create = Add location
yes = Yes
no = No

## Audit log
audit-title = Audit log
audit-caption = Every change, newest first
audit-entity = Show changes to
audit-all = Everything
audit-when = When
audit-who = Who
audit-what = What
audit-before = Before
audit-after = After
audit-empty = Nothing has been recorded yet.
audit-older = Older entries
audit-action-create = created
audit-action-update = changed
audit-action-login = logged in
audit-action-logout = logged out
audit-action-enable = enabled
audit-action-disable = disabled
audit-action-set-roles = changed roles
audit-action-reset-password = reset the password
audit-action-change-password = changed their password
audit-action-set-locale = chose a language
audit-action-set-hours = changed opening hours
audit-action-revoke = revoked
entity-staff_user = Staff account
entity-branch = Branch
entity-location = Shelving location
entity-api_token = API token

## API tokens
tokens-title = API tokens
tokens-lead = Tokens let scripts and devices use the JSON API as a staff account. Treat a token like a password.
tokens-copy-now = Copy this token now. It will not be shown again.
tokens-caption = Tokens
tokens-prefix = Starts with
tokens-created = Created
tokens-last-used = Last used
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-revoke-confirm = Revoke this token? Scripts using it will stop working.
tokens-none = No tokens yet.
tokens-new = Create a token
tokens-for-user = Acts as
tokens-name-hint = What uses it, e.g. "Self-check kiosk 2".
tokens-create = Create token

## API documentation page
api-title = Quire API
api-lead = The JSON API gives scripts and devices the same operations as the staff pages, with the same permissions.
api-download = Download the OpenAPI document
api-auth = Signing in
api-auth-help = Send an API token in the Authorization header ("Bearer" followed by the token). Browser sessions also work; they must send the X-CSRF-Token header on changes.
api-operations = Operations
api-parameters = Parameters
api-required = required
api-request-body = Request body
api-responses = Responses
api-schemas = Data shapes

## Notices
notice-saved = Your changes have been saved.
notice-created = Created.
notice-password-changed = Your password has been changed. Other sessions have been signed out.
notice-revoked = The token has been revoked.

## Actions
action-save = Save
action-filter = Show

## Forms and errors
form-has-errors = Please correct the following:
field-error = { $field }: { $reason }
field-username = User name
field-password = Password
field-current-password = Current password
field-new-password = New password
field-confirm-password = New password again
field-display-name = Full name
field-email = E-mail
field-roles = Roles
field-code = Code
field-name = Name
field-kind = Type
field-parent = Part of
field-timezone = Time zone
field-address = Address
field-phone = Phone
field-opens = Opens
field-closes = Closes
field-weekday = Day
field-circulates = Items can be borrowed
field-holdable = Items can be reserved
field-public = Shown in the public catalog
field-loc-code = Location code
field-loc-name = Location name
field-locale = Language
field-active = Status
field-body = Request
field-note = Note
field-branch = Branch
reason-required = this is required
reason-too-short = must be at least { $arg } characters
reason-too-long = must be at most { $arg } characters
reason-control-characters = must not contain control characters
reason-code-characters = use only letters, digits, dash or underscore
reason-username-characters = use only lower-case letters, digits, dot, dash or underscore, starting with a letter or digit
reason-invalid-choice = is not one of the choices
reason-invalid-timezone = is not a known time zone (for example Asia/Manila)
reason-invalid-email = is not a valid e-mail address
reason-invalid-time = must be a time such as 09:30
reason-closes-before-opens = must be later than the opening time
reason-hours-overlap = overlaps another opening period that day
reason-password-too-short = must be at least { $arg } characters long
reason-password-contains-username = must not contain the user name
reason-already-taken = is already in use
reason-cannot-remove-own-admin = you cannot remove your own administrator role
reason-cannot-disable-self = you cannot disable your own account
reason-wrong-password = is not correct
reason-passwords-differ = does not match the new password
reason-unknown-user = no staff account has this user name
reason-unknown-branch = no branch has this code
reason-unsupported-language = is not a supported language
reason-too-large = is too large
reason-invalid-json = is not valid JSON of the expected shape
error-invalid = Some of the information is not valid.
error-not-found = We could not find that page.
error-duplicate = That already exists.
error-conflict = That cannot be done in the current state.
error-unauthenticated = Please log in first.
error-bad-credentials = The user name or password is not correct.
error-account-disabled = This account has been disabled. Ask a library administrator.
error-forbidden = You do not have permission to do that.
error-rate-limited = Too many failed attempts. Please wait 15 minutes and try again.
error-csrf-failed = This form has expired. Go back, reload the page and try again.
error-busy = The system is busy. Please try again in a moment.
error-internal = Something went wrong on our side.
error-page-help = If you followed a link, it may be out of date. You can go back or start again from the home page.
error-page-home = Go to the home page
error-page-reference = Error { $status } · reference { $id }

## SIP2 screen messages (self-check machines; plain text, keep short)
sip2-invalid = Request not understood. Please see staff.
sip2-not-found = Not found. Please see staff.
sip2-conflict = Cannot do that now. Please see staff.
sip2-login-required = Machine not logged in. Please see staff.
sip2-bad-credentials = Machine login refused.
sip2-forbidden = Not allowed. Please see staff.
sip2-try-later = System busy. Please try again.

## Catalog search
search-title = Search the catalog
search-results-title = Search: { $q }
search-label = Search for books and other materials
search-hint = Title, author, subject or ISBN. Accents are optional: "tieng viet" finds "Tiếng Việt".
search-submit = Search
search-advanced = Advanced search
search-field-title = Title
search-field-author = Author
search-field-subject = Subject
search-field-series = Series
search-field-isbn = ISBN or ISSN
search-years = Published between
search-year-from = From year
search-year-to = To year
search-no-results = Nothing found
search-no-results-help = Check the spelling, use fewer words, or remove a filter.
search-count = Results { $first }–{ $last } of { $total }
facets-label = Narrow your search
facet-format = Format
facet-language = Language
facet-decade = Published
facet-branch = Library
facet-available-only = Only items on the shelf now
sort-label = Sort by
sort-relevance = Best match
sort-title = Title
sort-author = Author
sort-newest = Newest
sort-oldest = Oldest
pages-label = Result pages
page-previous = Previous
page-next = Next
page-of = Page { $page } of { $pages }
availability-available = { $count ->
    [one] 1 copy available
   *[other] { $count } copies available
}
availability-none = All copies are in use
availability-no-copies = No copies yet
format-book = Book
format-ebook = E-book
format-serial = Journal or magazine
format-map = Map
format-score = Music score
format-sound = Sound recording
format-music = Music recording
format-video = Video
format-kit = Kit
format-computer = Computer file
format-visual = Picture or object
format-manuscript = Manuscript
format-mixed = Mixed materials
format-other = Other
language-eng = English
language-vie = Vietnamese
language-tgl = Tagalog
language-fil = Filipino
language-phi = Philippine languages
language-spa = Spanish
language-fre = French
language-ger = German
language-chi = Chinese
language-jpn = Japanese
language-kor = Korean
language-rus = Russian
language-ara = Arabic
language-heb = Hebrew
language-tha = Thai
language-ita = Italian
language-por = Portuguese
language-lat = Latin
status-available = On the shelf
status-checked-out = Checked out
status-reshelving = Just returned
status-in-transit = In transit
status-on-hold-shelf = On the hold shelf
status-on-order = On order
status-in-process = Being prepared
status-lost = Lost
status-missing = Missing
status-damaged = Being repaired
status-withdrawn = Withdrawn

## Record page
record-back = Back to search
record-suppressed = Hidden from the public catalog
record-copies = Copies
record-no-copies = The library has no copies of this yet.
record-branch = Library
record-location = Shelf
record-call-number = Call number
record-status = Status
record-barcode = Barcode
record-details = Details
record-authors = Authors
record-edition = Edition
record-published = Published
record-description = Description
record-format = Format
record-language = Language
record-series = Series
record-subjects = Subjects
record-summary = Summary
record-contents = Contents
record-notes = Notes
record-online = Online
record-permalink = Link to this page
record-marc-view = MARC record (staff view)

## Help
help-link = How to search
help-title = How to search the catalog
help-lead = A few tips to find what you are looking for. Ask at the desk any time: library staff are happy to help.
help-words-title = Type a few words
help-words = Type words from the title, the author's name or the subject. Every word you type must appear, in any order. Try the examples below.
help-accents-title = Accents are optional
help-accents = You can type with or without accents and in capitals or not: "tieng viet", "Tiếng Việt" and "TIẾNG VIỆT" find the same books.
help-phrase-title = Exact phrases
help-phrase = Put words in quotation marks to find them next to each other, for example "noli me tangere".
help-fields-title = Search one kind of information
help-fields = Start with title:, author:, subject:, series: or isbn: to search only there. Or open Advanced search and fill in the boxes you need.
help-narrow-title = Too many results?
help-narrow = Use the choices beside the results to keep only one format, language, period or library, or only the copies that are on the shelf now.
help-find-title = Finding the book on the shelf
help-find = The record page shows each library that has a copy, the shelf and the call number. Books are shelved in call-number order; write the call number down or show the page to staff.
help-try = Start searching
reason-query-too-complex = is too complex; use fewer words or brackets
field-q = Search

## Patrons, items and rules
audit-action-import = imported records
entity-import_job = Import
entity-item = Item
entity-patron = Patron
entity-record = Catalog record
field-barcode = Barcode
field-birth-date = Date of birth
field-call-number = Call number
field-call-number-scheme = Call number scheme
field-category = Patron category
field-default-branch = Default branch
field-first-name = First name
field-home-branch = Home branch
field-item-type = Item type
field-last-name = Last name
field-location = Shelving location
field-lost-after-days = Days overdue before lost
field-pickup-rule = Pickup rule
field-pin = PIN
field-preferred-locale = Preferred language
field-status = Status
reason-barcode-characters = use only letters and digits, at most 32
reason-date-in-future = cannot be in the future
reason-invalid-amount = must be an amount such as 12.50
reason-invalid-date = must be a date such as 2026-03-14
reason-invalid-number = must be a whole number
reason-invalid-phone = must be a phone number (digits, spaces, + - ( ))
reason-invalid-pin = must be 4 to 8 digits
reason-lost-before-long-overdue = must be later than the long-overdue day
reason-out-of-range = is outside the allowed range
reason-too-many-decimals = has too many decimal places
reason-unknown-location = no shelving location has this code in that branch

## Staff cataloging: import and quarantine
nav-catalog-import = Import records
import-title = Import catalog records
import-lead = The catalog has { $records } records and { $items } items. Upload a MARC file to add or update records.
import-file = MARC file
import-file-hint = ISO 2709 (.mrc), MARCXML or MARC-in-JSON, in MARC-8 or UTF-8. For very large files use the command `quire import`.
import-matching = Find existing records by
import-matching-control-number = Control number (001 and 003)
import-matching-isbn = ISBN
import-matching-none = Never: every record is new
import-on-match = When a record already exists
import-on-match-replace = Replace it with the new one
import-on-match-skip = Keep the existing one
import-on-match-merge-items = Keep it and add the new items
import-holdings = Items from
import-holdings-auto = Detect (952, 949 or 852)
import-holdings-koha-952 = 952 (Koha)
import-holdings-marc-852 = 852 (MARC holdings)
import-holdings-local-949 = 949 (local)
import-holdings-none = No items
import-start = Start import
import-jobs = Recent imports
import-source = File
import-started = Started
import-state = State
import-state-running = Importing…
import-state-done = Finished
import-state-failed = Failed
import-records = Records read
import-created = New
import-replaced = Replaced
import-skipped = Kept as they were
import-quarantined = Quarantined
import-items = Items created
import-no-jobs = No imports yet.
import-job-title = Import of { $source }
quarantine-title = Quarantined records
quarantine-lead = Records that could not be imported, with the reason. Try them again or discard them.
quarantine-none = No records are waiting in quarantine.
quarantine-position = Record no.
quarantine-reason = Reason
quarantine-entry-title = Quarantined record
quarantine-byte = byte { $offset } of the file
quarantine-content = What could be read
quarantine-retry = Try again
quarantine-discard = Discard
quarantine-discard-confirm = Discard this record? It will not be imported.
notice-still-bad = The record still cannot be imported: see the reason below.
reason-upload-failed = could not be received; try again
field-file = File
audit-action-discard = discarded
entity-quarantine = Quarantined record
