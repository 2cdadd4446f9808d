# same-as-english: field-login
# SIP2: mga self-check machine at sorter (mensahe sa screen) at ang kanilang mga account.

sip2-session-ended = Salamat po. Paalam.
sip2-not-supported = Hindi ito magagawa ng makinang ito. Lumapit po sa staff.
sip2-hold-unavailable = Hindi pa puwedeng magpareserba sa makinang ito. Lumapit po sa staff.
sip2-wrong-pin = Mali ang PIN. Pakisubukang muli.
sip2-checkout-cancelled = Kinansela ang paghiram.
sip2-due = Ibalik bago o sa { $due }.
sip2-not-on-loan = Hindi nakahiram ang aytem na ito.
sip2-send-to = Ipadala sa { $branch }.
sip2-hold-shelf = Ilagay sa estante ng mga reserba.
sip2-not-your-loan = Hindi ikaw ang humiram ng aytem na ito.
sip2-bad-amount = Hindi wasto ang halaga o ang pera.
sip2-payment-received = Natanggap ang bayad: { $amount }. Salamat po.

field-login = Login
field-institution = Institusyon
field-charset = Set ng mga titik
field-amount = Halaga
field-route = Ruta
field-bin = Sort bin ng sorter
reason-more-than-owed = ay higit sa utang ng patron

audit-action-delete = binura
audit-action-pay = nagbayad
entity-sip2_account = SIP2 account ng makina
entity-sort_bin = Sort bin ng sorter
entity-fee = Bayarin
