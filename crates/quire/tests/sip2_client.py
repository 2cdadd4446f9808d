"""Drives a running Quire SIP2 server with the third-party PyPI `sip2`
client (package `Sip2`), as a self-check machine would, then with raw
sockets for malformed input. Run by crates/quire/tests/sip2.rs.

Usage: python sip2_client.py '<json config>'
Config: host, port, login, password, institution, location, patron, pin,
patron_name, item, title, record (the item's record number), fee (amount
the patron owes, "12.50"), currency, repeat (checkout/renew/checkin rounds
on one connection), holds (bool: whether holds are expected to work).
Prints one line per check; exits 1 on the first failed check.
"""

import json
import re
import socket
import sys
import tempfile
import time

from Sip2.sip2 import Sip2

cfg = json.loads(sys.argv[1])
logdir = tempfile.mkdtemp()


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"ok   {name}", flush=True)


def client(password=None):
    c = Sip2()
    c.hostName = cfg["host"]
    c.hostPort = int(cfg["port"])
    c.tlsEnable = False
    c.socketTimeout = 10
    c.logfile_path = logdir
    c.loglevel = "WARNING"
    c.institutionId = cfg["institution"]
    c.scLocation = cfg["location"]
    c.patron = cfg["patron"]
    c.patronpwd = cfg["pin"]
    c.connect()
    return c


def var(parsed, field):
    return parsed["variable"].get(field, [""])[0]


# --- login -----------------------------------------------------------------
bad = client()
r = bad.sip_login_response(bad.get_response(bad.sip_login_request(cfg["login"], "not-the-password")))
check("wrong password answers 940", bad.last_response.startswith("940"), bad.last_response)
bad.disconnect()

c = client()
r = c.sip_login_response(c.get_response(c.sip_login_request(cfg["login"], cfg["password"])))
check("login", r["fixed"]["Ok"] == "1", c.last_response)

# --- status ----------------------------------------------------------------
raw = c.get_response(c.sip_sc_status_request())
check("98 on-line Y", raw.startswith("98Y"), raw)
r = c.sip_sc_status_response(raw)
check("98 protocol 2.00", raw[32:36] == "2.00", raw)
bx = var(r, "BX")
check("98 BX has 16 flags", len(bx) == 16 and set(bx) <= {"Y", "N"}, bx)
check("98 BX says all 16 messages", bx == "Y" * 16, bx)
check("98 status update ok", raw[6] == "Y", raw)
check("98 institution", var(r, "AO") == cfg["institution"], raw)
check("reply ends with AY<n>AZ<4 hex>", re.search(r"\|AY[0-9]AZ[0-9A-F]{4}\r?$", raw) is not None, raw)

# --- patron information ----------------------------------------------------
raw = c.get_response(c.sip_patron_information_request("charged"))
r = c.sip_patron_information_response(raw)
check("64 personal name", var(r, "AE") == cfg["patron_name"], raw)
check("64 valid patron", var(r, "BL") == "Y", raw)
check("64 valid PIN", var(r, "CQ") == "Y", raw)
check("64 fee amount", var(r, "BV") == cfg["fee"], raw)

c.patronpwd = "0000"
raw = c.get_response(c.sip_patron_status_request())
check("24 wrong PIN says CQN", "|CQN|" in raw, raw)
c.patronpwd = cfg["pin"]

# --- checkout / item info / renew / checkin, repeated -----------------------
item = cfg["item"]
for round_no in range(int(cfg["repeat"])):
    first = round_no == 0
    raw = c.get_response(c.sip_checkout_request(item))
    r = c.sip_checkout_response(raw)
    check(f"checkout #{round_no}", r["fixed"]["Ok"] == "1", raw)
    if first:
        check("12 title is the catalog title", var(r, "AJ") == cfg["title"], raw)
        check("12 due date in SIP2 format", len(var(r, "AH")) == 18, raw)
        raw = c.get_response(c.sip_patron_information_request("charged"))
        r = c.sip_patron_information_response(raw)
        check("64 lists the charged item", item in r["variable"].get("AU", []), raw)
        check("64 counts it", raw[45:49] == "0001", raw)
        raw = c.get_response(c.sip_item_information_request(item))
        r = c.sip_item_information_response(raw)
        check("18 circulation status 04 (charged)", raw[2:4] == "04", raw)
        check("18 title", var(r, "AJ") == cfg["title"], raw)
    raw = c.get_response(c.sip_renew_request(item))
    r = c.sip_renew_response(raw)
    check(f"renew #{round_no}", r["fixed"]["Ok"] == "1", raw)
    raw = c.get_response(c.sip_checkin_request(item))
    r = c.sip_checkin_response(raw)
    check(f"checkin #{round_no}", r["fixed"]["Ok"] == "1", raw)
    if first:
        check("10 permanent location AQ", var(r, "AQ") != "", raw)
        raw = c.get_response(c.sip_item_information_request(item))
        check("18 no longer charged", raw[2:4] != "04", raw)

# --- hold ------------------------------------------------------------------
raw = c.get_response(c.sip_hold_request("+", itemIdentifier=item))
if cfg.get("holds"):
    check("hold placed", raw.startswith("161"), raw)
    raw = c.get_response(c.sip_patron_information_request("unavail"))
    check("64 lists the hold", item in raw and raw[57:61] == "0001", raw)
    raw = c.get_response(c.sip_hold_request("-", itemIdentifier=item))
    check("hold cancelled", raw.startswith("161"), raw)
else:
    check("hold refused with a screen message", raw.startswith("160") and "|AF" in raw, raw)

if cfg.get("holds"):
    # Title-level: hold type 2 (any copy of the title) with a copy named.
    raw = c.get_response(c.sip_hold_request("+", holdType=2, itemIdentifier=item))
    check("title hold by type 2 placed", raw.startswith("161"), raw)
    raw = c.get_response(c.sip_patron_information_request("unavail"))
    check("64 lists the title hold by its title", cfg["title"] in raw, raw)
    raw = c.get_response(c.sip_hold_request("-", titleIdentifier=str(cfg["record"])))
    check("title hold cancelled by record number (AJ)", raw.startswith("161"), raw)
    raw = c.get_response(c.sip_hold_request("+", titleIdentifier=str(cfg["record"])))
    check("title hold by record number (AJ) placed", raw.startswith("161"), raw)
    raw = c.get_response(c.sip_hold_request("-", titleIdentifier=str(cfg["record"])))
    check("title hold cancelled again", raw.startswith("161"), raw)
raw = c.get_response(c.sip_hold_request("+", titleIdentifier="Some free-text title"))
check("free-text title hold refused with a screen message", raw.startswith("160") and "|AF" in raw, raw)

# --- item status update -----------------------------------------------------
raw = c.get_response(c.sip_item_status_update_request(item, "AFI=07;bin 3"))
check("19 stores item properties (20 ok=1)", raw.startswith("201"), raw)
check("20 echoes the properties", "|CHAFI=07;bin 3|" in raw, raw)
raw = c.get_response(c.sip_item_information_request(item))
check("18 returns the stored properties", "|CHAFI=07;bin 3|" in raw, raw)
raw = c.get_response(c.sip_item_status_update_request("NO-SUCH-ITEM-1", "x"))
check("19 for an unknown item: ok=0 with a screen message", raw.startswith("200") and "|AF" in raw, raw)

# --- fee paid --------------------------------------------------------------
raw = c.get_response(c.sip_fee_paid_request(1, 0, cfg["fee"], currencyType=cfg["currency"]))
check("fee paid accepted", raw.startswith("38Y"), raw)
raw = c.get_response(c.sip_fee_paid_request(1, 0, "1.00", currencyType=cfg["currency"]))
check("paying more than owed is refused", raw.startswith("38N") and "|AF" in raw, raw)
raw = c.get_response(c.sip_patron_information_request("none"))
check("balance is now zero", "|BV0.00|" in raw, raw)

# --- block patron / patron enable --------------------------------------------
raw = c.get_response(c.sip_block_patron_request("Card left in the machine", "Y"))
check("01 answered with 24", raw.startswith("24"), raw)
check("24 charge privileges denied after the block", raw[2] == "Y", raw)
raw = c.get_response(c.sip_checkout_request(item))
check("checkout refused while blocked", raw.startswith("120") and "|AF" in raw, raw)
raw = c.get_response(c.sip_patron_enable_request())
check("25 answered with 26", raw.startswith("26"), raw)
check("26 charge privileges no longer denied", raw[2] == " ", raw)
check("26 personal name", f"|AE{cfg['patron_name']}|" in raw, raw)
raw = c.get_response(c.sip_patron_enable_request())
check("a second 25 says there was nothing to lift", raw.startswith("26") and "|AF" in raw, raw)
c.get_response(c.sip_end_patron_session_request())
c.disconnect()


# --- malformed input over raw sockets ----------------------------------------
def checksum(msg):
    return "%04X" % (-sum(msg.encode("utf-8")) & 0xFFFF)


def framed(body):
    m = body + "AZ"
    return (m + checksum(m) + "\r").encode("utf-8")


def raw_conn():
    s = socket.create_connection((cfg["host"], int(cfg["port"])), timeout=5)
    return s


def recv_line(s):
    data = b""
    while not data.endswith(b"\r"):
        chunk = s.recv(8192)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace")


s = raw_conn()
s.sendall(framed(f"9300CN{cfg['login']}|CO{cfg['password']}|CP{cfg['location']}|AY0"))
check("raw login", recv_line(s).startswith("941"))
bad_checkout = f"11YN{'20260115    101532'}{' ' * 18}AO{cfg['institution']}|AA{cfg['patron']}|AB{item}|AC|AY1AZ0000\r"
s.sendall(bad_checkout.encode())
check("bad checksum answers 96", recv_line(s).startswith("96"))
s.sendall(framed(f"1720260115    101532AO{cfg['institution']}|AB{item}|AY2"))
reply = recv_line(s)
check("bad checksum had no effect (item not charged)", reply[2:4] != "04", reply)

started = time.time()
s.sendall(b"\x00\xff\xfeGARBAGE\x01|||\r")
s.sendall(framed("9900302.00AY3"))
reply = recv_line(s)
if reply.startswith("96"):
    reply = recv_line(s)
check("garbage then 99 still answered", reply.startswith("98"), reply)
check("within 5 s", time.time() - started < 5)

s.sendall(b"42HELLO|\r")
s.sendall(framed("9900302.00AY4"))
reply = recv_line(s)
check("unknown command then 99 answered", reply.startswith("98"), reply)

started = time.time()
s.sendall(("63000" + "20260115    101532" + " " * 10 + "AO" + cfg["institution"] + "|AA" + "9" * 100_000 + "|\r").encode())
reply = recv_line(s)
check("100 kB field answered with 96", reply.startswith("96"), reply[:80])
check("100 kB field within 5 s", time.time() - started < 5)

started = time.time()
s.sendall(b"11YN20260115    1015")
reply = recv_line(s)
check("truncated message answered with 96", reply.startswith("96"), reply)
check("truncated message within 5 s", time.time() - started < 5)
s.close()

s = raw_conn()
s.sendall(framed("9900302.00AY5"))
check("next connection served", recv_line(s).startswith("98"))
s.close()
print("all SIP2 client checks passed", flush=True)
