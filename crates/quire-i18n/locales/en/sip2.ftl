# SIP2: self-check machines and sorters (screen messages) and their accounts.

sip2-session-ended = Thank you. Goodbye.
sip2-not-supported = This machine cannot do that. Please see staff.
sip2-hold-unavailable = Holds cannot be placed at this machine yet. Please see staff.
sip2-wrong-pin = Wrong PIN. Please try again.
sip2-checkout-cancelled = Checkout cancelled.
sip2-due = Due { $due }.
sip2-not-on-loan = This item was not checked out.
sip2-send-to = Send to { $branch }.
sip2-hold-shelf = Put on the hold shelf.
sip2-not-your-loan = This item is not on loan to you.
sip2-bad-amount = The amount or currency is not valid.
sip2-payment-received = Payment received: { $amount }. Thank you.

field-login = Login
field-institution = Institution
field-charset = Character set
field-amount = Amount
field-route = Route
field-bin = Sort bin
reason-more-than-owed = is more than the patron owes

audit-action-delete = deleted
audit-action-pay = paid
entity-sip2_account = SIP2 account
entity-sort_bin = Sort bin
entity-fee = Fee
