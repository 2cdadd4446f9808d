#!/usr/bin/env python3
"""Circulation benchmark: checkout + checkin round trips through the JSON API.

A generated library (default 100,000 patrons and 1,000,000 items, built by
the `circ_fixture` example through the library service and the normal MARC
import engine) is served by the release `quire serve`; the `circ_load`
example runs 1, 10 and 100 concurrent clients, each repeating
POST /api/v1/checkouts + POST /api/v1/checkins with its own patron and
items. Prints p50/p99 per request and pairs (transactions) per second, on
SQLite and — when QUIRE_TEST_DATABASE_URL is set, e.g. under
`scripts/with-postgres` — on PostgreSQL.

Usage: scripts/with-postgres bench/circ.py [--patrons N] [--items N]
                                           [--seconds S] [--levels 1,10,100]
Not a test: BENCHMARKS.md records the runs we made and on what machine.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REL = ROOT / "target" / "release"
QUIRE = REL / "quire"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{r.stdout[-1500:]}\n{r.stderr[-3000:]}")
    return r.stdout


def one_backend(name, url, data, a):
    print(f"== {name}: building {a.patrons:,} patrons / {a.items:,} items ...", file=sys.stderr)
    t0 = time.time()
    sh([REL / "examples" / "circ_fixture", "--url", url, "--patrons", str(a.patrons),
        "--items", str(a.items), "--out", data])
    build_s = time.time() - t0
    db = ["--data", data] + (["--database", url] if url.startswith("postgres") else [])
    sh([QUIRE, "admin", "create-user", *db, "--username", "benchdesk", "--roles", "circulation",
        "--password", "a-long-bench-password-1"])
    token = sh([QUIRE, "admin", "create-token", *db, "--username", "benchdesk", "--name", "bench"]).strip()
    port = free_port()
    srv = subprocess.Popen([QUIRE, "serve", *db, "--http", f"127.0.0.1:{port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=dict(os.environ, RUST_LOG="warn"))
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 600  # the index of 1M items is built at start
        while True:
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or srv.poll() is not None:
                sys.exit("quire serve did not come up")
            time.sleep(0.5)
        for c in a.levels:
            out = sh([REL / "examples" / "circ_load", "--url", base, "--token", token,
                      "--patrons", Path(data) / "patrons.txt", "--items", Path(data) / "items.txt",
                      "--concurrency", str(c), "--seconds", str(a.seconds)])
            r = json.loads(out.strip().splitlines()[-1])
            if r["errors"]:
                print(f"   {r['errors']} errors, first: {r['first_error']}", file=sys.stderr)
            rows.append((name, r))
    finally:
        srv.terminate()
        srv.wait(timeout=60)
    return build_s, rows


def machine():
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patrons", type=int, default=100_000)
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--levels", default="1,10,100")
    ap.add_argument("--work", default=str(ROOT / "target" / "bench-circ"))
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    a.levels = [int(x) for x in a.levels.split(",")]
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "quire", "--examples", "--bins", "--locked"],
                       check=True, cwd=ROOT)
    work = Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    results, builds = [], []
    d = work / "sqlite"
    d.mkdir(parents=True)
    b, rows = one_backend("SQLite", f"sqlite:{d / 'quire.db'}", str(d), a)
    builds.append(("SQLite", b))
    results += rows
    pg = os.environ.get("QUIRE_TEST_DATABASE_URL")
    if pg:
        d = work / "postgres"
        d.mkdir(parents=True)
        b, rows = one_backend("PostgreSQL", pg, str(d), a)
        builds.append(("PostgreSQL", b))
        results += rows
    else:
        print("QUIRE_TEST_DATABASE_URL not set: PostgreSQL skipped (run under scripts/with-postgres)",
              file=sys.stderr)

    print(f"\nMachine: {machine()}; {time.strftime('%Y-%m-%d')}; "
          f"{a.patrons:,} patrons, {a.items:,} items; {a.seconds} s per level; client on the same machine\n")
    print("| backend | clients | pairs/s | checkout p50 / p99 ms | checkin p50 / p99 ms | pair p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results:
        print(f"| {name} | {r['concurrency']} | {r['pairs_per_s']:,.0f} | "
              f"{r['checkout_p50']:.2f} / {r['checkout_p99']:.2f} | {r['checkin_p50']:.2f} / {r['checkin_p99']:.2f} | "
              f"{r['pair_p99']:.2f} | {r['errors']} |")
    for name, b in builds:
        print(f"\n{name}: generated library built through the service in {b:.0f} s")


if __name__ == "__main__":
    main()
