# Holds and transits: staff pages, refusals, audit names, field errors.

nav-holds = Holds
holds-show = Show
holds-nav-label = Holds and transits
holds-pull-title = Pull list
holds-pull-lead = Copies on this branch's shelves to fetch for holds, one per hold, oldest hold first, in shelf order.
holds-pull-caption = { $count ->
    [one] One copy to pull
   *[other] { $count } copies to pull
}
holds-pull-empty = Nothing to pull.
holds-shelf-title = Hold shelf
holds-shelf-caption = { $count ->
    [one] One hold waiting
   *[other] { $count } holds waiting
}
holds-shelf-empty = No holds are waiting here.
holds-shelf-expired = Pickup deadline passed
holds-col-title = Title
holds-col-pickup = Pickup branch
holds-col-placed = Placed
holds-col-deadline = Pickup by
holds-col-patron = Patron
holds-col-status = Status
holds-col-actions = Actions
holds-cancel = Cancel hold
holds-cancel-for = patron { $patron }
holds-queue-title = Hold queue
holds-queue-caption = { $count ->
    [one] One active hold
   *[other] { $count } active holds
}
holds-queue-empty = Nobody is waiting for this title.
holds-suspended-until = suspended until { $date }
holds-place = Place a hold for a patron
holds-place-button = Place hold
holds-pickup-home = The patron's home branch
hold-status-placed = In the queue
hold-status-in-transit = Copy on its way
hold-status-waiting = Waiting on the hold shelf
notice-hold-placed = The hold was placed.
notice-hold-cancelled = The hold was cancelled.

transits-title = Transits
transits-receive = Receive an item
transits-item-barcode = Item barcode (scan it)
transits-receive-button = Receive
transits-outcome-hold = Put it on the hold shelf:
transits-outcome-transit = Send it on to { $branch }.
transits-outcome-reshelve = Put it back on the shelf.
transits-incoming = Coming here
transits-incoming-caption = { $count ->
    [one] One item on its way here
   *[other] { $count } items on their way here
}
transits-outgoing = Sent from here
transits-outgoing-caption = { $count ->
    [one] One item sent from here
   *[other] { $count } items sent from here
}
transits-none = No items.
transits-col-sent = Sent
transits-col-from = From
transits-col-to = To
transits-col-reason = Why
transits-reason-hold = For a hold
transits-reason-home = Back home

refusal-hold-already-placed = The patron already has a hold on this title.

audit-action-place-hold = placed a hold
audit-action-cancel-hold = cancelled a hold
audit-action-suspend-hold = suspended a hold
audit-action-resume-hold = resumed a hold
audit-action-change-pickup = changed the pickup branch
audit-action-capture-hold = captured a copy for a hold
audit-action-release-hold = released a hold's copy
audit-action-fulfil-hold = fulfilled a hold
audit-action-expire-hold = expired a hold
audit-action-hold-ready = hold ready for pickup
audit-action-send-transit = sent an item in transit
audit-action-receive-transit = received an item in transit
entity-hold = Hold
entity-transit = Transit

field-record = Record
field-pickup = Pickup branch
field-not-needed-after = Not needed after
field-until = Suspended until
field-direction = Direction
reason-unknown-item = no item has this barcode
reason-unknown-record = no record has this number
reason-unknown-patron = no patron has this card number
reason-must-be-future = must be a later date
