# Overdue escalation (long overdue, lost by the sweep) and what SIP2 checkins resolve.

status-long-overdue = Long overdue
audit-action-mark-long-overdue = Marked long overdue
sip2-resolved-lost-found = Lost item found.
sip2-resolved-lost-credit = Lost item found: { $amount } credited to the patron.
sip2-resolved-claim-cleared = Item claimed as returned is found: the claim is cleared.
sip2-resolved-missing-found = Missing item found.
