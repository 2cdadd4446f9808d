# Overdue escalation (long overdue, lost by the sweep) and what SIP2 checkins resolve.

status-long-overdue = Long overdue
audit-action-mark-long-overdue = Marked long overdue
sip2-resolved-lost-found = Lost item found.
sip2-resolved-lost-credit = Lost item found: { $amount } credited to the patron.
sip2-resolved-claim-cleared = Item claimed as returned is found: the claim is cleared.
sip2-resolved-missing-found = Missing item found.
patron-history-link = Reading history
patron-history-title = Reading history of { $name }
patron-history-caption = Returned loans ({ $total })
patron-history-off = This patron does not keep a reading history: returned loans are anonymised, and staff see none.
