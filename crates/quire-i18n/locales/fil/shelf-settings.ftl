# same-as-english:
# Mga listahan ng estante na hinati sa mga pahina, ang default na scheme ng call number ng aklatan.

field-size = Bilang ng aytem bawat pahina
field-jump = Tumalon sa call number
shelf-page-size = Bilang ng aytem bawat pahina
shelf-jump = Tumalon sa call number
shelf-jump-hint = Magsisimula ang listahan sa unang aklat na kapareho o kasunod ng call number na ito.
shelf-jump-past-end = Walang aklat sa kariton na kapareho o kasunod ng { $callnumber }: ito na ang huling pahina.
shelf-pages = Mga pahina ng kariton
shelf-pages-end = Mga pahina ng kariton (dulo ng listahan)
shelf-page-position = Mga aytem { $first }–{ $last } sa { $total }
shelf-page-first = Unang pahina
shelf-page-prev = Nakaraang pahina
shelf-page-next = Susunod na pahina
shelf-page-last = Huling pahina
shelf-print-all = I-print ang buong kariton ({ $total } aytem)

scheme-settings-title = Scheme ng call number
scheme-settings-lead = Ang scheme na gagamitin sa pagbasa ng call number kapag walang nakatakda sa aytem at hindi ito matukoy mula sa field na 050, 082, 090 o 092 ng record. Hindi nagbabago ang scheme ng mga aytem na naka-save na.
scheme-settings-hint = Ginagamit sa mga bago at ine-edit na aytem, sa pag-import at sa "tumalon sa call number".
field-scheme = Default na scheme
scheme-guess = Wala: hulaan mula sa bawat call number
scheme-effective = Binabasa bilang { $scheme }: { $why }
scheme-why-item = pinili sa aytem na ito.
scheme-why-marc = ito ang sinasabi ng field na { $tag } ng record.
scheme-why-library-default = ang default na scheme ng aklatan.
scheme-why-guessed = hinulaan mula sa call number (walang default na scheme ang aklatan).
scheme-detect-default = Sa "Alamin mula sa call number", kinukuha ang scheme ng field na 050/082/090/092 ng record kapag isa roon ang call number, kung hindi ay ang default ng aklatan: { $scheme }.
scheme-detect-guess = Sa "Alamin mula sa call number", kinukuha ang scheme ng field na 050/082/090/092 ng record kapag isa roon ang call number, kung hindi ay hinuhulaan mula sa call number.
shelf-print-cut = Huminto rito ang listahan: hindi nabasa ang kariton hanggang dulo. I-reload ang pahina para subukan ulit.
