# Sariling serbisyo ng parokyano sa pampublikong katalogo (/my), ang outbox ng mga abiso, at mga e-mail na abiso.

nav-my-login = Mag-sign in sa aking account
nav-my-account = Aking account ({ $name })
nav-notices = Mga abiso
my-logout = Mag-sign out

my-login-title = Mag-sign in sa iyong account sa aklatan
my-field-card = Numero ng library card
my-field-card-hint = Ang numero sa ilalim ng barcode ng iyong card.
my-field-pin = PIN (lihim na numero)
my-login-submit = Mag-sign in
my-login-help = Nakalimutan ang PIN? Magtanong sa desk ng alinmang sangay; dalhin ang iyong library card.
my-login-card-required = Ilagay ang numero ng iyong library card.
my-login-pin-required = Ilagay ang iyong PIN.
my-login-failed = Mali ang numero ng card o ang PIN.

my-nav-label = Aking account
my-nav-loans = Aking mga hiram
my-nav-fines = Aking mga multa
my-nav-settings = PIN at wika

my-loans-title = Aking mga hiram
my-loans-current = Kasalukuyang hiram
my-renewed = Na-renew na. Nasa ibaba ang bagong petsa ng pagbabalik.
my-balance = Balanse: { $amount }
my-balance-details = Tingnan ang mga multa at bayad
my-col-title = Pamagat
my-col-barcode = Aytem
my-col-due = Ibabalik sa
my-col-renewals-left = Natitirang pag-renew
my-col-actions = Mga aksiyon
my-overdue = Lampas na sa takdang petsa
my-renew = I-renew
my-renew-label = I-renew ang “{ $title }”
my-no-loans = Wala kang hiniram ngayon.

my-fines-title = Aking mga multa at bayad
my-col-date = Petsa
my-col-kind = Uri
my-col-note = Tala
my-col-amount = Halaga
my-fee-overdue = Multa sa pagkaantala
my-no-fines = Walang multa o bayad.

my-settings-title = PIN at wika
my-change-pin = Palitan ang PIN
my-pin-changed = Napalitan na ang iyong PIN.
my-pin-hint = 4 hanggang 8 numero.
field-current-pin = Kasalukuyang PIN
field-new-pin = Bagong PIN
field-confirm-pin = Ulitin ang bagong PIN
reason-wrong-pin = ay hindi tama
reason-pins-differ = ay hindi tugma sa bagong PIN
my-language = Piniling wika
my-language-label = Wika para sa katalogo at sa mga abiso
my-language-hint = Sa wikang ito ipapadala ang mga abiso tungkol sa takdang petsa at mga reserba.
field-language = Wika
reason-unknown-language = ay wala sa mga inaalok na wika
my-language-save = I-save ang wika
my-language-saved = Na-save na ang iyong piniling wika.

notices-title = Mga abiso
notices-lead = Mga abiso sa parokyano tungkol sa malapit nang takdang petsa, pagkaantala at handang reserba, pinakabago muna.
notices-filter-status = Katayuan
notices-status-all = Lahat
notices-filter = Ipakita
notices-none = Walang abiso.
notices-col-created = Ginawa
notices-col-kind = Uri
notices-col-patron = Parokyano
notices-col-subject = Paksa
notices-col-status = Katayuan
notices-col-attempts = Mga pagsubok
notices-col-error = Huling error
notices-col-actions = Mga aksiyon
notices-next-attempt = susunod na pagsubok { $at }
notices-resend = Ipadala muli
notices-resend-label = Ipadala muli ang abiso { $id }
notice-kind-due-soon = Malapit na ang takdang petsa
notice-kind-overdue = Lampas na sa takdang petsa
notice-kind-hold-ready = Handa na ang reserba
notice-status-pending = Naghihintay ipadala
notice-status-sent = Naipadala
notice-status-failed = Nabigo
notice-status-skipped = Hindi ipinadala
notice-skip-no-email = walang e-mail address

audit-action-change-pin = pinalitan ang PIN
audit-action-resend = ipinadala muli
entity-notice = abiso

mail-greeting = Mahal na { $name },
mail-footer = Ang iyong aklatan. Makikita at mare-renew mo ang iyong mga hiram sa katalogo sa “Aking account”.
mail-due-soon-subject = Malapit nang ibalik: { $title }
mail-due-soon-body = Ang “{ $title }” (aytem { $barcode }) ay dapat ibalik sa { $due }. Pakibalik o i-renew ito bago noon.
mail-overdue-subject = Lampas na sa takdang petsa: { $title }
mail-overdue-body = Ang “{ $title }” (aytem { $barcode }) ay dapat naibalik noong { $due } at lampas na ngayon sa takdang petsa. Pakibalik ito sa lalong madaling panahon; maaaring may multa.
mail-hold-ready-subject = Handa nang kunin: { $title }
mail-hold-ready-body = Naghihintay sa iyo ang “{ $title }” sa { $branch }.
mail-hold-ready-body-until = Naghihintay sa iyo ang “{ $title }” sa { $branch } hanggang { $until }.
