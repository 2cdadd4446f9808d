# same-as-english:
## Editor ng MARC: ang 008 ng bawat uri ng materyal, at mga mensahe ng mga fixed field.

cat-allowed-values = (pinapayagan: { $allowed })
marc-f008-character = may karakter ang 008 sa posisyong { $arg } na hindi code saanman (printable ASCII lamang)
marc-position-undefined = hindi tinukoy ang mga posisyong { $arg } para sa materyal na ito; dapat blangko (#) o fill (|)

pos-f008-serials-24 = Uri ng buong akda
pos-f008-serials-25 = Uri ng nilalaman
pos-f008-maps-18 = Relyebe
pos-f008-maps-22 = Proyeksiyon
pos-f008-maps-25 = Uri ng materyal na kartograpiko
pos-f008-maps-28 = Lathalain ng pamahalaan
pos-f008-maps-29 = Anyo ng aytem
pos-f008-maps-31 = Indeks
pos-f008-maps-33 = Natatanging katangian ng anyo
pos-f008-music-18 = Anyo ng komposisyon
pos-f008-music-20 = Anyo ng nota ng musika
pos-f008-music-21 = Mga bahagi ng musika
pos-f008-music-22 = Target na mambabasa
pos-f008-music-23 = Anyo ng aytem
pos-f008-music-24 = Kasamang materyal
pos-f008-music-30 = Tekstong pampanitikan ng mga rekording ng tunog
pos-f008-music-33 = Transposisyon at areglo
pos-f008-computer-22 = Target na mambabasa
pos-f008-computer-23 = Anyo ng aytem
pos-f008-computer-26 = Uri ng computer file
pos-f008-computer-28 = Lathalain ng pamahalaan
pos-f008-visual-18 = Haba ng palabas (minuto; nnn hindi angkop, --- hindi alam)
pos-f008-visual-22 = Target na manonood
pos-f008-visual-28 = Lathalain ng pamahalaan
pos-f008-visual-29 = Anyo ng aytem
pos-f008-visual-33 = Uri ng biswal na materyal
pos-f008-visual-34 = Teknika
pos-f008-mixed-23 = Anyo ng aytem

## Cataloging API
reason-marc-unreadable = hindi mabasa bilang isang rekord na MARC: { $arg }
error-precondition-failed = Nagbago ang rekord mula nang basahin mo ito. Basahin itong muli at ulitin ang pagbabago.
error-precondition-required = Ipadala ang If-Match kasama ang ETag na nabasa mo upang palitan ang rekord.
error-unsupported-media-type = Ipadala ang rekord bilang MARC-in-JSON o MARCXML.
