# SIP2: self-check machines and sorters (screen messages) and their accounts.

sip2-session-ended = Thank you. Goodbye.
sip2-not-supported = This machine cannot do that. Please see staff.
sip2-hold-placed = Hold placed.
sip2-hold-cancelled = Hold cancelled.
sip2-hold-changed = Hold changed.
sip2-wrong-pin = Wrong PIN. Please try again.
sip2-checkout-cancelled = Checkout cancelled.
sip2-due = Due { $due }.
sip2-not-on-loan = This item was not checked out.
sip2-send-to = Send to { $branch }.
sip2-hold-shelf = Put on the hold shelf.
sip2-not-your-loan = This item is not on loan to you.
sip2-bad-amount = The amount or currency is not valid.
sip2-payment-received = Payment received: { $amount }. Thank you.
sip2-patron-blocked = Card blocked. Please see staff.
sip2-patron-enabled = Card enabled again.
sip2-patron-nothing-to-enable = This card has no block set by a machine.
sip2-hold-title-needs-number = For a title hold, send the record number as the title. Please see staff.
sip2-hold-needs-item = Say which item or title to hold.

field-login = Login
field-institution = Institution
field-route = Route
field-item-properties = Item properties
field-bin = Sort bin

audit-action-delete = deleted
entity-sip2_account = SIP2 account
entity-sort_bin = Sort bin

nav-sip2 = SIP2 devices
sip2-title = SIP2 devices
sip2-lead = Self-check machines, sorters and other devices log in to Quire's SIP2 server with these accounts. Each device acts only through circulation: every rule and block applies.
sip2-caption = SIP2 accounts
sip2-checksum = Checksums
sip2-checksum-required = required
sip2-checksum-optional = checked when sent
sip2-actions = Actions
sip2-new-password = New password
sip2-set-password = Set password
sip2-delete = Delete
sip2-delete-confirm = Delete this SIP2 account? The device will no longer be able to log in.
sip2-none = No SIP2 accounts yet.
sip2-new = Add a device account
sip2-institution-hint = The institution id (AO) the device sends, e.g. QUIRE.
sip2-location-hint = Optional: where the device stands, e.g. MAIN-SC1.
sip2-checksum-required-label = Require a checksum (AZ) on every message
sip2-extensions-label = Send the 3M extension fields (collection, call number, destination, alert type)
sip2-cv-label = Send alert type 00 on a clean checkin (for sorters that always expect it)
sip2-hide-fields = Fields never sent
sip2-hide-fields-hint = Field codes separated by commas, e.g. BE,BF to hide e-mail and phone.
sip2-create = Add account
sip2-login = Login (93)
sip2-login-needed = required
sip2-login-free = not required
sip2-login-optional-label = Login not required: connections of a listener started with --sip2-open-account (or --sip2-tls-open-account) naming this account act as it without logging in
