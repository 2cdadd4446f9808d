# Mga reserba at transit: mga pahina ng kawani, pagtanggi, pangalan sa audit, mali sa field.

nav-holds = Mga reserba
holds-show = Ipakita
holds-nav-label = Mga reserba at transit
holds-pull-title = Listahang kukunin
holds-pull-lead = Mga kopya sa istante ng sangay na ito na kukunin para sa mga reserba, isa bawat reserba, pinakaunang reserba muna, ayon sa ayos sa istante.
holds-pull-caption = { $count ->
    [one] Isang kopyang kukunin
   *[other] { $count } kopyang kukunin
}
holds-pull-empty = Walang kukunin.
holds-shelf-title = Istante ng reserba
holds-shelf-caption = { $count ->
    [one] Isang reserbang naghihintay
   *[other] { $count } reserbang naghihintay
}
holds-shelf-empty = Walang reserbang naghihintay dito.
holds-shelf-expired = Lampas na sa huling araw ng pagkuha
holds-col-title = Pamagat
holds-col-pickup = Sangay na kukunan
holds-col-placed = Inilagay
holds-col-deadline = Kunin bago
holds-col-patron = Mambabasa
holds-col-status = Katayuan
holds-col-actions = Mga aksyon
holds-cancel = Kanselahin ang reserba
holds-cancel-for = mambabasang { $patron }
holds-queue-title = Pila ng reserba
holds-queue-caption = { $count ->
    [one] Isang aktibong reserba
   *[other] { $count } aktibong reserba
}
holds-queue-empty = Walang naghihintay sa pamagat na ito.
holds-suspended-until = nakahinto hanggang { $date }
holds-place = Maglagay ng reserba para sa isang patron
holds-place-button = Ireserba
holds-pickup-home = Ang sariling sangay ng patron
hold-status-placed = Nasa pila
hold-status-in-transit = Papunta na ang kopya
hold-status-waiting = Naghihintay sa istante ng reserba
notice-hold-placed = Nailagay ang reserba.
notice-hold-cancelled = Nakansela ang reserba.

transits-title = Mga transit
transits-receive = Tanggapin ang isang aytem
transits-item-barcode = Barcode ng aytem (i-scan)
transits-receive-button = Tanggapin
transits-outcome-hold = Ilagay sa istante ng reserba:
transits-outcome-transit = Ipadala sa { $branch }.
transits-outcome-reshelve = Ibalik sa istante.
transits-incoming = Papunta rito
transits-incoming-caption = { $count ->
    [one] Isang aytem na papunta rito
   *[other] { $count } aytem na papunta rito
}
transits-outgoing = Ipinadala mula rito
transits-outgoing-caption = { $count ->
    [one] Isang aytem na ipinadala mula rito
   *[other] { $count } aytem na ipinadala mula rito
}
transits-none = Walang aytem.
transits-col-sent = Ipinadala
transits-col-from = Mula sa
transits-col-to = Papunta sa
transits-col-reason = Dahilan
transits-reason-hold = Para sa reserba
transits-reason-home = Pauwi sa sariling sangay

refusal-hold-already-placed = May reserba na ang patron sa pamagat na ito.

audit-action-place-hold = naglagay ng reserba
audit-action-cancel-hold = nagkansela ng reserba
audit-action-suspend-hold = naghinto ng reserba
audit-action-resume-hold = nagpatuloy ng reserba
audit-action-change-pickup = nagpalit ng sangay na kukunan
audit-action-capture-hold = naglaan ng kopya para sa reserba
audit-action-release-hold = nagpakawala ng kopya ng reserba
audit-action-fulfil-hold = natupad ang reserba
audit-action-expire-hold = nag-expire ang reserba
audit-action-hold-ready = handa nang kunin ang reserba
audit-action-send-transit = nagpadala ng aytem sa transit
audit-action-receive-transit = tumanggap ng aytem mula sa transit
entity-hold = Reserba
entity-transit = Transit ng aytem

field-record = Rekord
field-pickup = Sangay na kukunan
field-not-needed-after = Hindi na kailangan pagkatapos ng
field-until = Nakahinto hanggang
field-direction = Direksiyon
reason-unknown-item = walang aytem na may ganitong barcode
reason-unknown-record = walang rekord na may ganitong numero
reason-unknown-patron = walang patron na may ganitong numero ng kard
reason-must-be-future = dapat ay mas huling petsa
