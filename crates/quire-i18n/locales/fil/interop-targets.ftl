# Copy cataloging: kung bakit walang naibigay na rekord ang isang Z39.50/SRU server.

copy-error-timeout = Hindi ito sumagot sa takdang oras. Maaaring sira ito, mabagal, o hindi maabot mula sa network na ito.
copy-error-dns = Hindi mahanap ang pangalan ng host nito. Suriin ang pangalan, o kung nakakakonekta sa internet ang computer na ito.
copy-error-refused = Tinanggihan nito ang koneksyon: walang nakikinig sa port na iyon. Suriin ang host at port.
copy-error-unreachable = Hindi ito maabot mula sa network na ito (walang ruta). Suriin ang koneksyon sa internet.
copy-error-connect = Nabigo ang koneksyon.
copy-error-tls = Nabigo ang ligtas (https) na koneksyon: hindi pinagkakatiwalaan ang sertipiko nito, o nabigo ang handshake.
copy-error-http = Sumagot ang web server nito ng error.
copy-error-diagnostic = Sumagot ito ng mensahe ng error (diagnostic).
copy-error-protocol = Hindi maintindihan ang sagot nito.
copy-error-detail = Teknikal na detalye:
