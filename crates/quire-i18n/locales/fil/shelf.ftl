# Istante: mga kariton ng ibabalik sa istante, pag-browse sa istante, pagbasa ng istante (imbentaryo).

nav-shelf = Pagbabalik sa istante
shelf-carts-title = Mga kariton ng ibabalik
shelf-carts-lead = Mga aklat na ibinalik na naghihintay maibalik sa istante, ayon sa eksaktong pagkakasunod sa istante. I-print ang listahan, ibalik sa istante, saka i-scan ang bawat aklat para kumpirmahin.
shelf-all-locations = Lahat ng lokasyon
shelf-carts-show = Ipakita ang kariton
shelf-cart-heading = { $branch }: { $count ->
    [one] isang aklat na ibabalik
   *[other] { $count } aklat na ibabalik
}
shelf-cart-auto = Ang mga aklat na naiwan sa kariton ay kusang magiging available pagkalipas ng { $minutes } minuto.
shelf-scan-shelved = I-scan ang aklat na naibalik na
shelf-scan-shelved-hint = I-scan ang bawat aklat habang inilalagay sa istante; kinukumpirma ito ng Enter ng scanner.
shelf-shelved-button = Naibalik na
shelf-shelved-done = { $count ->
    [one] Isang aklat ang nasa istante na:
   *[other] { $count } aklat ang nasa istante na:
}
shelf-refused-unknown-item = Walang aytem na may barcode na { $barcode }.
shelf-refused-not-reshelving = Wala sa kariton ang { $barcode } (katayuan: { $status }).
shelf-print = I-print ang listahan
shelf-cart-empty = Walang laman ang kariton.
shelf-col-title = Pamagat
shelf-col-since = Nasa kariton mula
shelf-inventory-title = Pagbasa ng istante
shelf-inventory-lead = Pumili ng seksiyon, i-scan ang mga aklat ayon sa pagkakatayo nila, at sasabihin ng Quire kung alin ang wala sa ayos, nawawala, o mali ang tala.
shelf-inventory-start = Basahin ang isang seksiyon
shelf-inventory-next = Basahin ang susunod na seksiyon
shelf-no-location = Walang lokasyon
shelf-range-hint = Opsiyonal: ang una at huling call number ng seksiyon.
shelf-inventory-scan-hint = Isang barcode bawat linya, ayon sa pagkakasunod sa istante (kaliwa pakanan, itaas pababa).
shelf-inventory-check = Suriin ang seksiyon
shelf-report-title = { $scanned } na-scan, { $expected } inaasahang nasa istante
shelf-report-summary = Wala sa ayos: { $ooo }. Nawawala: { $missing }. Nasa ibang lugar dapat: { $elsewhere }. Maling katayuan: { $wrong }.
shelf-report-out-of-order = Wala sa ayos
shelf-report-missing = Inaasahan pero hindi na-scan
shelf-report-elsewhere = Nasa ibang lugar dapat
shelf-report-wrong-status = Nasa istante pero iba ang nakatala
shelf-report-unknown = Hindi kilalang barcode
shelf-report-duplicates = Dalawang beses na-scan
shelf-report-all-good = Maayos ang lahat.
shelf-col-position = Blg. ng scan
shelf-col-item = Aklat
shelf-col-belongs = Dapat nasa
shelf-col-action = Gagawin
shelf-belongs-between = sa pagitan ng { $after } at { $before }
shelf-belongs-after = pagkatapos ng { $after }
shelf-belongs-before = bago ang { $before }
shelf-belongs-at = dapat nasa { $branch }, { $location }
shelf-mark-missing = Markahang nawawala ang { $barcode }
shelf-fix-found = Natagpuan: gawing available ang { $barcode }
shelf-fix-needs-circulation = Maaaring ayusin ito ng kawani sa sirkulasyon.
shelf-fix-title = Nabago ang katayuan
shelf-fix-done = { $barcode }: mula { $from } naging { $to }.
shelf-fix-loan-closed = Naisara ang hiram.
shelf-back-to-inventory = Bumalik sa pagbasa ng istante
shelf-browse-title = Tingnan ang istante
shelf-browse-back = Bumalik sa tala
shelf-browse-lead = Ang mga aklat na katabi nito sa istante sa { $branch } ({ $location }).
shelf-browse-pages = Mga pahina ng istante
shelf-browse-prev = Mas nauna sa istante
shelf-browse-next = Mas malayo sa istante
shelf-browse-empty = Wala nang iba sa istanteng ito.
shelf-record-heading = Mga katabi sa istante
shelf-record-browse = Tingnan ang istante
field-barcodes = Mga barcode
field-from = Mula sa call number
field-to = Hanggang call number
field-after = Pahina pagkatapos
field-before = Pahina bago
field-minutes = Minuto
reason-too-many = masyadong marami (hanggang 5000 lamang)
reason-invalid-barcode = may laman na hindi barcode (mga titik at numero lamang)
reason-range-reversed = nauuna sa unang call number
reason-unknown-item = walang aytem sa istanteng ito na may ganitong id
reason-not-reshelving = wala sa kariton ng ibabalik
reason-status-ok = may katayuan na itong angkop sa aklat na nasa istante
reason-cannot-mark-missing = hindi maaaring markahang nawawala sa kasalukuyang katayuan nito
audit-action-shelve = Naibalik sa istante
audit-action-auto-shelve = Kusang naibalik sa istante
audit-action-inventory = Pagbasa ng istante
audit-action-mark-missing = Minarkahang nawawala
entity-inventory_run = Pagbasa ng istante
entity-setting = Pagtatakda
