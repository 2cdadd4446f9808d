# Copy cataloging: why a Z39.50/SRU target gave no records (after copy-target-error).

copy-error-timeout = It did not answer in time. It may be down, slow, or out of reach of this network.
copy-error-dns = Its host name could not be found. Check the name, or whether this computer can reach the internet.
copy-error-refused = It refused the connection: nothing is listening on that port. Check the host and port.
copy-error-unreachable = It cannot be reached from this network (no route). Check the internet connection.
copy-error-connect = The connection failed.
copy-error-tls = The secure (https) connection failed: its certificate is not trusted, or the handshake failed.
copy-error-http = Its web server answered with an error.
copy-error-diagnostic = It answered with an error message (a diagnostic).
copy-error-protocol = Its answer could not be understood.
copy-error-detail = Technical detail:
