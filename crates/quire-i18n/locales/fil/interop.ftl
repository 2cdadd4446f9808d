# Copy cataloging (mga Z39.50 / SRU server) at iba pang screen ng interoperability.

nav-copy = Pagkopya ng katalogo
copy-title = Pagkopya ng katalogo
copy-lead = Maghanap sa katalogo ng ibang aklatan at kopyahin ang rekord sa inyo sa halip na i-type ito.
copy-no-targets = Wala pang server na mahahanapan. Idinaragdag ito ng administrator sa Mga Z39.50 server.
copy-targets = Hanapin sa mga server na ito
copy-kind = Hanapin ayon sa
copy-kind-isbn = ISBN (numero ng aklat)
copy-kind-title = Pamagat at may-akda
copy-kind-lccn = LCCN (numero ng Library of Congress)
copy-term = ISBN, LCCN o pamagat
copy-term-hint = Sa paghahanap ng pamagat, maaari ring ilagay ang may-akda.
copy-author = May-akda
copy-search = Maghanap
copy-results = Mga resulta
copy-target-error = Hindi sumagot ang server na ito:
copy-hits = { $count ->
    [one] 1 rekord ang nahanap
   *[other] { $count } rekord ang nahanap
}
copy-col-author = May-akda
copy-col-date = Petsa
copy-col-isbn = ISBN ng aklat
copy-col-001 = Numero ng kontrol (001)
copy-col-source = Pinagmulan
copy-import = I-import ang “{ $title }”
copy-import-anyway = I-import pa rin bilang bagong rekord
copy-open-editor = Buksan sa MARC editor
copy-duplicates-title = Maaaring nasa katalogo na ninyo ang rekord na ito
copy-duplicates-lead = Ang “{ $title }” mula sa { $source } ay tumutugma sa mga rekord na ito ng inyong katalogo. Buksan ang isa sa mga ito, o i-import ang kopya bilang bagong rekord.
copy-match-isbn = parehong ISBN
copy-match-lccn = parehong LCCN
copy-match-control-number = parehong control number
notice-copy-imported = Nakopya na ang rekord sa inyong katalogo.
notice-target-deleted = Inalis na ang server.

ztargets-title = Mga Z39.50 server
ztargets-lead = Ang mga katalogong hinahanapan ng pagkopya: mga Z39.50 server (host, port, database) o mga SRU server (base URL).
ztargets-caption = { $count ->
    [one] 1 server
   *[other] { $count } server
}
ztargets-address = Tirahan ng server
ztargets-state = Kalagayan
ztargets-enabled = Ginagamit
ztargets-disabled = Hindi ginagamit
ztargets-none = Wala pang server.
ztargets-new = Magdagdag ng server
ztargets-create = Idagdag ang server
ztargets-save = I-save
ztargets-delete = Alisin ang server na ito
ztargets-delete-button = Alisin ang { $name }
ztargets-host-hint = Halimbawa: lx2.loc.gov. Iwanang blangko kung SRU lamang ang server.
ztargets-sru-hint = Opsiyonal: isang http:// na SRU base URL, gagamitin sa halip na Z39.50.
field-host = Host na server
field-port = Puwerto
field-database = Database ng server
field-syntax = Anyo ng rekord
field-charset = Set ng mga titik
field-sru-url = SRU base URL ng server
field-t = Mga server
syntax-usmarc = MARC 21, binaryong ISO 2709
syntax-marcxml = MARCXML (MARC 21 sa XML)
charset-auto = Ayon sa rekord (leader/09)
charset-utf-8 = UTF-8 (Unicode, karaniwan)
charset-marc-8 = MARC-8 (mas lumang rekord)
reason-invalid-host = ay hindi pangalan o address ng host
reason-invalid-port = ay dapat numero mula 1 hanggang 65535
reason-invalid-url = ay dapat http:// o https:// na address
reason-host-or-sru-required = maglagay ng host o ng SRU base URL
reason-invalid-database = ay dapat pangalan ng database na walang puwang
reason-choose-target = pumili ng kahit isang server
reason-unreadable-marc = ay hindi mabasa bilang MARC na rekord
reason-missing-title = ay walang pamagat (245)
entity-z_target = Server na Z39.50
audit-action-remove = inalis
