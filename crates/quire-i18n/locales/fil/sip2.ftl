# SIP2: mga self-check machine at sorter (mensahe sa screen) at ang kanilang mga account.

sip2-session-ended = Salamat po. Paalam.
sip2-not-supported = Hindi ito magagawa ng makinang ito. Lumapit po sa staff.
sip2-hold-placed = Naipareserba na.
sip2-hold-cancelled = Kinansela ang reserba.
sip2-hold-changed = Binago ang reserba.
sip2-wrong-pin = Mali ang PIN. Pakisubukang muli.
sip2-checkout-cancelled = Kinansela ang paghiram.
sip2-due = Ibalik bago o sa { $due }.
sip2-not-on-loan = Hindi nakahiram ang aytem na ito.
sip2-send-to = Ipadala sa { $branch }.
sip2-hold-shelf = Ilagay sa estante ng mga reserba.
sip2-not-your-loan = Hindi ikaw ang humiram ng aytem na ito.
sip2-bad-amount = Hindi wasto ang halaga o ang pera.
sip2-payment-received = Natanggap ang bayad: { $amount }. Salamat po.
sip2-patron-blocked = Naka-block ang card. Lumapit po sa staff.
sip2-patron-enabled = Magagamit na muli ang card.
sip2-patron-nothing-to-enable = Walang block mula sa makina ang card na ito.
sip2-hold-title-needs-number = Para sa reserba ng pamagat, ipadala ang numero ng rekord bilang pamagat. Lumapit po sa staff.
sip2-hold-needs-item = Sabihin kung aling aytem o pamagat ang ipapareserba.

field-login = Pangalan sa pag-login
field-institution = Institusyon
field-route = Ruta
field-item-properties = Mga katangian ng aytem
field-bin = Sort bin ng sorter

audit-action-delete = binura
entity-sip2_account = SIP2 account ng makina
entity-sort_bin = Sort bin ng sorter

nav-sip2 = Mga SIP2 device
sip2-title = Mga SIP2 device
sip2-lead = Gamit ang mga account na ito, nagla-login ang mga self-check machine, sorter at iba pang device sa SIP2 server ng Quire. Sa sirkulasyon lamang kumikilos ang bawat device: umiiral ang lahat ng patakaran at block.
sip2-caption = Mga SIP2 account
sip2-checksum = Mga checksum
sip2-checksum-required = kailangan
sip2-checksum-optional = sinusuri kapag ipinadala
sip2-actions = Mga aksiyon
sip2-new-password = Bagong password
sip2-set-password = Itakda ang password
sip2-delete = Burahin
sip2-delete-confirm = Burahin ang SIP2 account na ito? Hindi na makakapag-login ang device.
sip2-none = Wala pang SIP2 account.
sip2-new = Magdagdag ng account ng device
sip2-institution-hint = Ang institution id (AO) na ipinapadala ng device, hal. QUIRE.
sip2-location-hint = Opsiyonal: kung saan nakalagay ang device, hal. MAIN-SC1.
sip2-checksum-required-label = Hingin ang checksum (AZ) sa bawat mensahe
sip2-extensions-label = Ipadala ang mga extension field ng 3M (koleksiyon, call number, destinasyon, uri ng alerto)
sip2-cv-label = Ipadala ang uri ng alerto na 00 sa maayos na pagbabalik (para sa mga sorter na laging umaasa nito)
sip2-hide-fields = Mga field na hindi kailanman ipinapadala
sip2-hide-fields-hint = Mga code ng field na pinaghihiwalay ng kuwit, hal. BE,BF para itago ang e-mail at telepono.
sip2-create = Idagdag ang account
sip2-login = Pag-login (93)
sip2-login-needed = kailangan
sip2-login-free = hindi kailangan
sip2-login-optional-label = Hindi kailangan ang pag-login: ang mga koneksiyon ng listener na sinimulan gamit ang --sip2-open-account (o --sip2-tls-open-account) na may pangalan ng account na ito ay kikilos bilang ito nang hindi nagla-login
