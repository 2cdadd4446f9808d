"""SIP2 over TLS against a running Quire, as a self-check machine would:
login, status, checkout, checkin. Run by crates/quire/tests/sip2.rs.

Usage: python sip2_tls_client.py '<json config>'
Config: host (a name in the certificate, e.g. localhost), port, login,
password, institution, location, patron, pin, item; and either
"cafile" (trust exactly this certificate: Python's ssl module wraps a plain
socket and raw SIP2 messages go over it) or no cafile (the PyPI sip2
client's own TLS, accepting the server's self-signed certificate).
Prints one line per check; exits 1 on the first failed check.
"""

import json
import socket
import ssl
import sys
import tempfile

from Sip2.sip2 import Sip2

cfg = json.loads(sys.argv[1])


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"ok   {name}", flush=True)


def checksum(msg):
    return "%04X" % (-sum(msg.encode("utf-8")) & 0xFFFF)


def framed(body):
    m = body + "AZ"
    return (m + checksum(m) + "\r").encode("utf-8")


def recv_line(s):
    data = b""
    while not data.endswith(b"\r"):
        chunk = s.recv(8192)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace")


now = "20260115    101532"
item = cfg["item"]

if cfg.get("cafile"):
    ctx = ssl.create_default_context(cafile=cfg["cafile"])
    plain = socket.create_connection((cfg["host"], int(cfg["port"])), timeout=10)
    s = ctx.wrap_socket(plain, server_hostname=cfg["host"])
    check("TLS handshake, certificate verified", s.version() is not None, s.version())
    s.sendall(framed(f"9300CN{cfg['login']}|CO{cfg['password']}|CP{cfg['location']}|AY0"))
    check("login over TLS", recv_line(s).startswith("941"))
    s.sendall(framed("9900302.00AY1"))
    check("99 over TLS", recv_line(s).startswith("98Y"))
    s.sendall(framed(f"11YN{now}{' ' * 18}AO{cfg['institution']}|AA{cfg['patron']}|AB{item}|AC|AD{cfg['pin']}|AY2"))
    raw = recv_line(s)
    check("checkout over TLS", raw.startswith("121"), raw)
    s.sendall(framed(f"09N{now}{now}AP{cfg['location']}|AO{cfg['institution']}|AB{item}|AC|AY3"))
    raw = recv_line(s)
    check("checkin over TLS", raw.startswith("101"), raw)
    s.close()
else:
    c = Sip2()
    c.hostName = cfg["host"]
    c.hostPort = int(cfg["port"])
    c.tlsEnable = True
    c.tlsAcceptSelfsigned = True
    c.socketTimeout = 10
    c.logfile_path = tempfile.mkdtemp()
    c.loglevel = "WARNING"
    c.institutionId = cfg["institution"]
    c.scLocation = cfg["location"]
    c.patron = cfg["patron"]
    c.patronpwd = cfg["pin"]
    c.connect()
    check("the sip2 client's TLS connection", isinstance(c._socket, ssl.SSLSocket), type(c._socket))
    r = c.sip_login_response(c.get_response(c.sip_login_request(cfg["login"], cfg["password"])))
    check("login over TLS", r["fixed"]["Ok"] == "1", c.last_response)
    raw = c.get_response(c.sip_sc_status_request())
    check("98 over TLS", raw.startswith("98Y"), raw)
    raw = c.get_response(c.sip_checkout_request(item))
    check("checkout over TLS", c.sip_checkout_response(raw)["fixed"]["Ok"] == "1", raw)
    raw = c.get_response(c.sip_checkin_request(item))
    check("checkin over TLS", c.sip_checkin_response(raw)["fixed"]["Ok"] == "1", raw)
    c.disconnect()

# Plain SIP2 sent to the TLS port gets no SIP2 answer (the handshake fails).
p = socket.create_connection((cfg["host"], int(cfg["port"])), timeout=10)
p.sendall(framed("9900302.00AY4"))
try:
    reply = p.recv(8192)
except (ConnectionResetError, socket.timeout):
    reply = b""
check("plain text on the TLS port is not answered as SIP2", not reply.startswith(b"98"), reply[:40])
p.close()
print("all SIP2 TLS checks passed", flush=True)
