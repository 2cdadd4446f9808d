# same-as-english: nav-dashboard dashboard-title month-short-3 month-short-5 time-am time-pm entity-api_token api-title field-password field-email field-error format-ebook format-kit language-tgl language-fil language-tha language-lat record-call-number
# Quire — mga mensahe ng interface sa Filipino.
# Dapat umiiral ang bawat key sa lahat ng wika (may test na sumusuri); panatilihing pareho ang pagkakasunod-sunod sa tatlong file.

## Layout
skip-to-content = Lumaktaw sa pangunahing nilalaman
nav-label = Pangunahin
nav-catalog = Katalogo
nav-dashboard = Dashboard
nav-branches = Mga Sangay
nav-staff = Mga Kawani
nav-audit = Talaan ng audit
nav-api-tokens = Mga API token
nav-account = Aking account ({ $name })
nav-staff-login = Pag-log in ng kawani
language = Wika
language-switch = Palitan ang wika
logout = Mag-log out
footer-tagline = Quire — ang sistemang pang-aklatan na kasya sa isang maliit na server.
footer-api = Dokumentasyon ng API

## Petsa at oras
month-short-1 = Ene
month-short-2 = Peb
month-short-3 = Mar
month-short-4 = Abr
month-short-5 = May
month-short-6 = Hun
month-short-7 = Hul
month-short-8 = Ago
month-short-9 = Set
month-short-10 = Okt
month-short-11 = Nob
month-short-12 = Dis
time-am = AM
time-pm = PM
weekday-0 = Lunes
weekday-1 = Martes
weekday-2 = Miyerkules
weekday-3 = Huwebes
weekday-4 = Biyernes
weekday-5 = Sabado
weekday-6 = Linggo

## Mga pampublikong pahina
home-title = Maligayang pagdating
home-welcome = Maligayang pagdating sa aklatan
home-lead = Hanapin sa aming katalogo ang mga aklat at iba pang materyales, tingnan kung aling sangay ang may kopya sa istante, at alamin ang oras ng pagbubukas sa ibaba.
home-branches = Ang aming mga sangay
home-no-branches = Wala pang naidaragdag na sangay.
home-opening-hours = Oras ng pagbubukas
hours-closed = Sarado

## Pag-log in
login-title = Pag-log in ng kawani
login-submit = Mag-log in
login-help = Nakalimutan ang iyong password? Hilingin sa isang tagapangasiwa ng aklatan na i-reset ito.
login-username-required = Ilagay ang iyong username.
login-password-required = Ilagay ang iyong password.

## Dashboard
dashboard-title = Dashboard
dashboard-greeting = Kumusta, { $name }
dashboard-branches = { $count ->
    [one] sangay
   *[other] sangay
}
dashboard-locations = { $count ->
    [one] lokasyon sa istante
   *[other] lokasyon sa istante
}
dashboard-staff = { $count ->
    [one] account ng kawani
   *[other] account ng kawani
}
dashboard-sessions = { $count ->
    [one] session na naka-log in
   *[other] session na naka-log in
}
dashboard-records = { $count ->
    [1] rekord sa katalogo
   *[other] rekord sa katalogo
}
dashboard-items = { $count ->
    [1] aytem
   *[other] aytem
}
dashboard-patrons = { $count ->
    [1] mambabasa
   *[other] mambabasa
}
dashboard-quarantined = { $count ->
    [1] rekord na naghihintay sa quarantine
   *[other] rekord na naghihintay sa quarantine
}
dashboard-next = Mga mabilisang link
dashboard-link-account = Palitan ang iyong password
dashboard-link-api = Basahin ang dokumentasyon ng API

## Account
account-title = Aking account
account-signed-in-as = Naka-log in ka bilang { $username }.
account-change-password = Palitan ang password
account-language-hint = Nase-save sa iyong account ang napili mong wika kapag pinalitan mo ito sa itaas ng pahina.
password-hint = Hindi bababa sa 10 karakter. Ang ilang magkakasunod na salita ay nakabubuo ng matibay at madaling tandaang password.

## Mga account ng kawani
users-title = Mga account ng kawani
users-caption = { $count ->
    [1] Isang account ng kawani
   *[other] { $count } account ng kawani
}
users-status = Katayuan
users-active = Aktibo
users-disabled = Naka-disable
users-new = Magdagdag ng account ng kawani
users-create = Gumawa ng account
users-created = Ginawa noong { $when }
users-roles-legend = Ano ang maaaring gawin ng taong ito
users-access = Pag-access
users-disable = I-disable ang account na ito
users-enable = I-enable ang account na ito
users-reset-password = Magtakda ng bagong password
username-hint = 3 hanggang 64 na karakter: maliliit na titik, numero, tuldok, gitling o underscore.
role-admin = Tagapangasiwa
role-cataloger = Tagakatalogo
role-circulation = Sirkulasyon
role-volunteer = Boluntaryo

## Mga sangay at lokasyon
branches-title = Mga Sangay
branches-caption = { $count ->
    [1] Isang yunit ng aklatan
   *[other] { $count } yunit ng aklatan
}
branches-new = Magdagdag ng sangay
branches-create = Gumawa ng sangay
branches-edit = I-edit ang mga detalye ng sangay
branches-no-parent = (wala)
kind-branch = Sangay
kind-system = Sistema ng aklatan
kind-consortium = Konsorsiyum
code-hint = 2 hanggang 16 na karakter: mga titik, numero, gitling o underscore. Nakalimbag ito sa mga slip at ipinapadala sa mga self-check machine.
timezone-hint = Halimbawa: Asia/Manila o Asia/Ho_Chi_Minh.
hours-hint = Iwanang blangko ang dalawang oras sa mga araw na sarado ang sangay.
hours-day = Araw
hours-save = I-save ang oras ng pagbubukas
locations-title = Mga lokasyon sa istante
locations-none = Wala pang lokasyon sa istante.
locations-new = Magdagdag ng lokasyon sa istante
locations-options = Mga tuntunin para sa mga materyales na nakalagay rito
locations-create = Idagdag ang lokasyon
yes = Oo
no = Hindi

## Talaan ng audit
audit-title = Talaan ng audit
audit-caption = Bawat pagbabago, pinakabago muna
audit-entity = Ipakita ang mga pagbabago sa
audit-all = Lahat
audit-when = Kailan
audit-who = Sino
audit-what = Ano
audit-before = Dati
audit-after = Pagkatapos
audit-empty = Wala pang naitatala.
audit-older = Mas lumang mga tala
audit-action-create = nilikha
audit-action-update = binago
audit-action-login = nag-log in
audit-action-logout = nag-log out
audit-action-enable = pinagana
audit-action-disable = hindi pinagana
audit-action-set-roles = binago ang mga tungkulin
audit-action-reset-password = pinalitan ang password
audit-action-change-password = pinalitan ang sariling password
audit-action-set-locale = pumili ng wika
audit-action-set-hours = binago ang oras ng pagbubukas
audit-action-revoke = binawi
entity-staff_user = Account ng kawani
entity-branch = Sangay
entity-location = Lokasyon sa istante
entity-api_token = API token

## Mga API token
tokens-title = Mga API token
tokens-lead = Sa pamamagitan ng token, magagamit ng mga script at device ang JSON API bilang isang account ng kawani. Ingatan ang token gaya ng isang password.
tokens-copy-now = Kopyahin na ngayon ang token na ito. Hindi na ito ipapakita muli.
tokens-caption = Mga token
tokens-prefix = Nagsisimula sa
tokens-created = Ginawa
tokens-last-used = Huling ginamit
tokens-revoked = Binawi
tokens-revoke = Bawiin
tokens-revoke-confirm = Bawiin ang token na ito? Titigil sa paggana ang mga script na gumagamit nito.
tokens-none = Wala pang token.
tokens-new = Gumawa ng token
tokens-for-user = Kumikilos bilang
tokens-name-hint = Kung ano ang gagamit nito, hal. "Self-check kiosk 2".
tokens-create = Likhain ang token

## Pahina ng dokumentasyon ng API
api-title = Quire API
api-lead = Ibinibigay ng JSON API sa mga script at device ang parehong mga operasyon na nasa mga pahina ng kawani, na may parehong mga pahintulot.
api-download = I-download ang dokumentong OpenAPI
api-auth = Pag-log in
api-auth-help = Magpadala ng API token sa Authorization header ("Bearer" na sinusundan ng token). Gumagana rin ang mga session ng browser; kailangan nilang ipadala ang X-CSRF-Token header kapag may binabago.
api-operations = Mga operasyon
api-parameters = Mga parameter
api-required = kailangan
api-request-body = Nilalaman ng request
api-responses = Mga tugon
api-schemas = Mga istruktura ng datos

## Mga abiso
notice-saved = Nai-save na ang iyong mga pagbabago.
notice-created = Nagawa na.
notice-password-changed = Napalitan na ang iyong password. Na-log out na ang iba mo pang session.
notice-revoked = Nabawi na ang token.

## Mga aksiyon
action-save = I-save
action-filter = Ipakita

## Mga form at error
form-has-errors = Pakitama ang sumusunod:
field-error = { $field }: { $reason }
field-username = Username
field-password = Password
field-current-password = Kasalukuyang password
field-new-password = Bagong password
field-confirm-password = Ulitin ang bagong password
field-display-name = Buong pangalan
field-email = E-mail
field-roles = Mga tungkulin
field-code = Kodigo
field-name = Pangalan
field-kind = Uri
field-parent = Bahagi ng
field-timezone = Sona ng oras
field-address = Tirahan
field-phone = Telepono
field-opens = Nagbubukas
field-closes = Nagsasara
field-weekday = Araw
field-circulates = Maaaring hiramin ang mga materyales
field-holdable = Maaaring i-reserba ang mga materyales
field-public = Ipinapakita sa pampublikong katalogo
field-loc-code = Kodigo ng lokasyon
field-loc-name = Pangalan ng lokasyon
field-locale = Wika
field-active = Katayuan
field-body = Kahilingan
field-note = Tala
field-branch = Sangay
reason-required = kailangan ito
reason-too-short = dapat hindi bababa sa { $arg } karakter
reason-too-long = dapat hindi hihigit sa { $arg } karakter
reason-control-characters = hindi dapat maglaman ng mga control character
reason-code-characters = gumamit lamang ng mga titik, numero, gitling o underscore
reason-username-characters = gumamit lamang ng maliliit na titik, numero, tuldok, gitling o underscore, at magsimula sa titik o numero
reason-invalid-choice = wala sa mga pagpipilian
reason-invalid-timezone = hindi kilalang sona ng oras (halimbawa: Asia/Manila)
reason-invalid-email = hindi wastong e-mail address
reason-invalid-time = dapat ay oras gaya ng 09:30
reason-closes-before-opens = dapat mas huli kaysa sa oras ng pagbubukas
reason-hours-overlap = sumasapaw sa ibang oras ng pagbubukas sa araw na iyon
reason-password-too-short = dapat hindi bababa sa { $arg } karakter ang haba
reason-password-contains-username = hindi dapat maglaman ng username
reason-already-taken = ginagamit na
reason-cannot-remove-own-admin = hindi mo maaaring alisin ang sarili mong tungkulin bilang tagapangasiwa
reason-cannot-disable-self = hindi mo maaaring i-disable ang sarili mong account
reason-wrong-password = hindi tama
reason-passwords-differ = hindi tugma sa bagong password
reason-unknown-user = walang account ng kawani na may ganitong username
reason-unknown-branch = walang sangay na may ganitong kodigo
reason-unsupported-language = hindi sinusuportahang wika
reason-too-large = masyadong malaki
reason-invalid-json = hindi wastong JSON o hindi tugma sa inaasahang istruktura
error-invalid = May ilang impormasyong hindi wasto.
error-not-found = Hindi namin mahanap ang pahinang iyon.
error-duplicate = Umiiral na iyan.
error-conflict = Hindi iyan magagawa sa kasalukuyang kalagayan.
error-unauthenticated = Mag-log in muna.
error-bad-credentials = Mali ang username o password.
error-account-disabled = Naka-disable ang account na ito. Makipag-ugnayan sa isang tagapangasiwa ng aklatan.
error-forbidden = Wala kang pahintulot na gawin iyan.
error-rate-limited = Masyadong maraming bigong pagtatangka. Maghintay ng 15 minuto at subukang muli.
error-csrf-failed = Nag-expire na ang form na ito. Bumalik, i-reload ang pahina, at subukang muli.
error-busy = Abala ang sistema. Pakisubukang muli maya-maya.
error-internal = Nagkaproblema sa aming panig.
error-page-help = Kung sumunod ka sa isang link, maaaring luma na ito. Maaari kang bumalik o magsimulang muli mula sa pangunahing pahina.
error-page-home = Pumunta sa pangunahing pahina
error-page-reference = Error { $status } · sanggunian { $id }

## Mga mensahe sa screen ng SIP2 (mga self-check machine; payak na teksto, panatilihing maikli)
sip2-invalid = Hindi naunawaan ang kahilingan. Lumapit sa kawani.
sip2-not-found = Hindi nahanap. Lumapit sa kawani.
sip2-conflict = Hindi ito magagawa ngayon. Lumapit sa kawani.
sip2-login-required = Hindi naka-log in ang makina. Lumapit sa kawani.
sip2-bad-credentials = Tinanggihan ang pag-log in ng makina.
sip2-forbidden = Hindi pinapayagan. Lumapit sa kawani.
sip2-try-later = Abala ang sistema. Subukang muli.

## Paghahanap sa katalogo
search-title = Maghanap sa katalogo
search-results-title = Paghahanap: { $q }
search-label = Maghanap ng mga aklat at iba pang materyales
search-hint = Pamagat, may-akda, paksa o ISBN. Hindi kailangang lagyan ng tuldik: mahahanap ng "tieng viet" ang "Tiếng Việt".
search-submit = Maghanap
search-advanced = Advanced na paghahanap
search-field-title = Pamagat
search-field-author = May-akda
search-field-subject = Paksa
search-field-series = Serye
search-field-isbn = ISBN o ISSN
search-years = Nailathala sa pagitan ng
search-year-from = Mula sa taon
search-year-to = Hanggang sa taon
search-no-results = Walang nahanap
search-no-results-help = Suriin ang baybay, gumamit ng mas kaunting salita, o mag-alis ng filter.
search-count = Mga resulta { $first }–{ $last } sa kabuuang { $total }
facets-label = Paliitin ang iyong paghahanap
facet-format = Uri ng materyal
facet-language = Wika
facet-decade = Taon ng paglalathala
facet-branch = Aklatan
facet-available-only = Ang nasa istante lang ngayon
sort-label = Ayusin ayon sa
sort-relevance = Pinakaangkop
sort-title = Pamagat
sort-author = May-akda
sort-newest = Pinakabago
sort-oldest = Pinakaluma
pages-label = Mga pahina ng resulta
page-previous = Nakaraan
page-next = Susunod
page-of = Pahina { $page } ng { $pages }
availability-available = { $count ->
    [1] 1 kopya ang available
   *[other] { $count } kopya ang available
}
availability-none = Ginagamit ang lahat ng kopya
availability-no-copies = Wala pang kopya
format-book = Aklat
format-ebook = E-book
format-serial = Journal o magasin
format-map = Mapa
format-score = Piyesa ng musika
format-sound = Rekording ng tunog
format-music = Rekording ng musika
format-video = Bidyo
format-kit = Kit
format-computer = File pangkompyuter
format-visual = Larawan o bagay
format-manuscript = Manuskrito
format-mixed = Halu-halong materyales
format-other = Iba pa
language-eng = Ingles
language-vie = Biyetnames
language-tgl = Tagalog
language-fil = Filipino
language-phi = Mga wika ng Pilipinas
language-spa = Espanyol
language-fre = Pranses
language-ger = Aleman
language-chi = Tsino
language-jpn = Hapon
language-kor = Koreano
language-rus = Ruso
language-ara = Arabe
language-heb = Hebreo
language-tha = Thai
language-ita = Italyano
language-por = Portuges
language-lat = Latin
status-available = Nasa istante
status-checked-out = Hiniram
status-reshelving = Kababalik lang
status-in-transit = Ipinapadala
status-on-hold-shelf = Nasa istante ng mga nakareserba
status-on-order = Naka-order
status-in-process = Inihahanda pa
status-lost = Nawala
status-missing = Nawawala
status-damaged = Ipinapaayos
status-withdrawn = Inalis na sa koleksiyon

## Pahina ng rekord
record-back = Bumalik sa paghahanap
record-suppressed = Nakatago sa pampublikong katalogo
record-copies = Mga kopya
record-no-copies = Wala pang kopya nito ang aklatan.
record-branch = Aklatan
record-location = Istante
record-call-number = Call number
record-status = Katayuan
record-barcode = Numero ng barcode
record-details = Mga detalye
record-authors = Mga may-akda
record-edition = Edisyon
record-published = Inilathala
record-description = Paglalarawan
record-format = Uri ng materyal
record-language = Wika
record-series = Serye
record-subjects = Mga paksa
record-summary = Buod
record-contents = Nilalaman
record-notes = Mga tala
record-online = Makukuha online
record-permalink = Link sa pahinang ito
record-marc-view = MARC record (para sa kawani)

## Tulong
help-link = Paano maghanap
help-title = Paano maghanap sa katalogo
help-lead = Ilang tip para mahanap mo ang hinahanap mo. Huwag mahiyang magtanong sa desk anumang oras: masayang tutulong ang mga kawani ng aklatan.
help-words-title = Mag-type ng ilang salita
help-words = I-type ang mga salita mula sa pamagat, pangalan ng may-akda o paksa. Lalabas ang mga aklat na may lahat ng salitang na-type mo, kahit ano ang pagkakasunod-sunod. Subukan ang mga halimbawa sa ibaba.
help-accents-title = Hindi kailangan ang tuldik
help-accents = Puwede kang mag-type nang may tuldik o wala, sa malaki o maliit na titik: pareho ang mga aklat na lalabas para sa "tieng viet", "Tiếng Việt" at "TIẾNG VIỆT".
help-phrase-title = Eksaktong parirala
help-phrase = Ilagay ang mga salita sa loob ng panipi para mahanap ang mga ito nang magkakatabi, halimbawa "noli me tangere".
help-fields-title = Maghanap sa iisang uri ng impormasyon
help-fields = Magsimula sa title: (pamagat), author: (may-akda), subject: (paksa), series: (serye) o isbn: para doon lang maghanap. O buksan ang Advanced na paghahanap at punan ang mga kahong kailangan mo.
help-narrow-title = Masyadong maraming resulta?
help-narrow = Gamitin ang mga pagpipilian sa tabi ng mga resulta para iisang uri ng materyal, wika, panahon o aklatan lang ang matira, o ang mga kopyang nasa istante ngayon lang.
help-find-title = Paghanap ng aklat sa istante
help-find = Ipinapakita ng pahina ng rekord ang bawat aklatang may kopya, ang istante at ang call number. Nakaayos ang mga aklat sa istante ayon sa call number; isulat ang call number o ipakita ang pahina sa kawani.
help-try = Magsimulang maghanap
reason-query-too-complex = masyadong kumplikado; gumamit ng mas kaunting salita o panaklong
field-q = Paghahanap

## Mga mambabasa, aytem at patakaran
audit-action-import = nag-import ng mga rekord
entity-import_job = Pag-import
entity-item = Aytem
entity-patron = Mambabasa
entity-record = Rekord ng katalogo
field-barcode = Numero ng barcode
field-birth-date = Petsa ng kapanganakan
field-call-number = Numero ng tawag (call number)
field-call-number-scheme = Uri ng call number
field-category = Kategorya ng mambabasa
field-default-branch = Default na sangay
field-first-name = Pangalan
field-home-branch = Sariling sangay
field-item-type = Uri ng aytem
field-last-name = Apelyido
field-location = Lokasyon sa istante
field-lost-after-days = Bilang ng araw na lampas bago ituring na nawala
field-pickup-rule = Patakaran sa pagkuha
field-pin = PIN na numero
field-preferred-locale = Gustong wika
field-status = Katayuan
reason-barcode-characters = letra at numero lamang, hanggang 32
reason-date-in-future = hindi maaaring nasa hinaharap
reason-invalid-amount = dapat isang halaga gaya ng 12.50
reason-invalid-date = dapat isang petsa gaya ng 2026-03-14
reason-invalid-number = dapat buong numero
reason-invalid-phone = dapat numero ng telepono (numero, espasyo, + - ( ))
reason-invalid-pin = dapat 4 hanggang 8 numero
reason-lost-before-long-overdue = dapat mas huli kaysa sa araw ng matagal nang lampas
reason-out-of-range = wala sa pinahihintulutang saklaw
reason-too-many-decimals = sobra ang bilang ng decimal
reason-unknown-location = walang lokasyon sa istante na may ganitong code sa sangay na iyon

## Pagkakatalogo ng kawani: import at quarantine
nav-catalog-import = Mag-import ng rekord
import-title = Mag-import ng mga rekord sa katalogo
import-lead = May { $records } rekord at { $items } aytem ang katalogo. Mag-upload ng MARC file para magdagdag o mag-update ng mga rekord.
import-file = MARC file na ia-upload
import-file-hint = ISO 2709 (.mrc), MARCXML o MARC-in-JSON, sa MARC-8 o UTF-8. Para sa napakalaking file, gamitin ang utos na `quire import`.
import-matching = Hanapin ang kasalukuyang rekord ayon sa
import-matching-control-number = Control number (001 at 003)
import-matching-isbn = ISBN ng aklat
import-matching-none = Hindi kailanman: bago ang bawat rekord
import-on-match = Kapag may rekord na
import-on-match-replace = Palitan ito ng bago
import-on-match-skip = Panatilihin ang dati
import-on-match-merge-items = Panatilihin at idagdag ang mga bagong aytem
import-holdings = Mga aytem mula sa
import-holdings-auto = Awtomatiko (952, 949 o 852)
import-holdings-koha-952 = 952 (mula sa Koha)
import-holdings-marc-852 = 852 (MARC holdings na field)
import-holdings-local-949 = 949 (lokal)
import-holdings-none = Walang aytem
import-start = Simulan ang pag-import
import-jobs = Mga kamakailang pag-import
import-source = Pinagmulang file
import-started = Sinimulan
import-state = Kalagayan
import-state-running = Nag-iimport…
import-state-done = Tapos na
import-state-failed = Nabigo
import-records = Mga nabasang rekord
import-created = Bago
import-replaced = Pinalitan
import-skipped = Hindi binago
import-quarantined = Naka-quarantine
import-items = Mga nagawang aytem
import-no-jobs = Wala pang pag-import.
import-job-title = Pag-import ng { $source }
quarantine-title = Mga rekord na naka-quarantine
quarantine-lead = Mga rekord na hindi ma-import, kasama ang dahilan. Subukan muli o itapon.
quarantine-none = Walang rekord na naghihintay sa quarantine.
quarantine-position = Blg. ng rekord
quarantine-reason = Dahilan
quarantine-entry-title = Rekord na naka-quarantine
quarantine-byte = byte { $offset } ng file
quarantine-content = Ang nabasa
quarantine-retry = Subukan muli
quarantine-discard = Itapon
quarantine-discard-confirm = Itapon ang rekord na ito? Hindi na ito ii-import.
notice-still-bad = Hindi pa rin ma-import ang rekord: tingnan ang dahilan sa ibaba.
reason-upload-failed = hindi natanggap; subukan muli
field-file = Ang file
audit-action-discard = itinapon
entity-quarantine = Rekord na naka-quarantine
