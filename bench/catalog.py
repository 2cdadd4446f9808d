#!/usr/bin/env python3
"""Catalog benchmark: MARC parsing, import + indexing, search latency.

Runs side by side, in one run, on the 250,000 Library of Congress records
fetched by ../shared/data/fetch-loc-books.sh:

  1. parse throughput: `quire marc dump` vs `yaz-marcdump` (Debian yaz) vs
     pymarc (PyPI, in a venv this script creates), each reading the whole file;
  2. full import + index: `quire import` then `quire reindex` into a fresh
     data dir (SQLite + tantivy), records/s and peak RSS of each step;
     with --million the file is imported four times with rewritten 001s;
  3. search latency: `quire serve` on that data dir, N realistic queries
     (title words, authors, subjects, ISBNs in other forms, titles with
     their diacritics stripped) through GET /api/v1/search, p50/p99.

Prints a Markdown table. Needs a release build (`cargo build --release -p
quire`, done here unless --no-build). Not a test: numbers depend on the
machine; BENCHMARKS.md records the runs we made.

Usage: bench/catalog.py [--data-file F] [--million] [--queries N] [--work DIR]
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import unicodedata
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIRE = ROOT / "target" / "release" / "quire"


def run(cmd, stdout=subprocess.DEVNULL, env=None, capture=False):
    """Runs cmd; returns (seconds, peak RSS in MiB, peak anonymous RSS in
    MiB[, stdout text]). Peak RSS is the kernel's ru_maxrss: it includes
    file pages the process has mapped (tantivy reads its segments through
    mmap), which the kernel can drop at any time. The anonymous part (heap,
    stacks) is sampled from /proc every 50 ms."""
    t0 = time.perf_counter()
    p = subprocess.Popen(
        cmd, stdout=subprocess.PIPE if capture else stdout, stderr=subprocess.PIPE, env=env
    )
    out_chunks = []
    import threading

    def drain(stream, into):
        for chunk in iter(lambda: stream.read(65536), b""):
            into.append(chunk)

    err_chunks = []
    threads = [threading.Thread(target=drain, args=(p.stderr, err_chunks), daemon=True)]
    if capture:
        threads.append(threading.Thread(target=drain, args=(p.stdout, out_chunks), daemon=True))
    for t in threads:
        t.start()
    anon = 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("RssAnon:"):
                        anon = max(anon, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    dt = time.perf_counter() - t0
    for t in threads:
        t.join()
    err = b"".join(err_chunks).decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(map(str, cmd))}\n{err[-2000:]}")
    res = (dt, usage.ru_maxrss / 1024, anon / 1024)
    if capture:
        return res + (b"".join(out_chunks).decode(errors="replace"),)
    return res


def repeated(cmd, times):
    """Median time of `times` runs (the machine is shared: single runs are
    noisy); peak RSS figures are the largest seen."""
    runs = [run(cmd) for _ in range(times)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def iso2709_records(path, limit=None):
    """Minimal ISO 2709 reader for building queries (fields -> subfields)."""
    with open(path, "rb") as f:
        n = 0
        while True:
            head = f.read(5)
            if len(head) < 5:
                return
            try:
                length = int(head)
            except ValueError:
                return
            raw = head + f.read(length - 5)
            base = int(raw[12:17])
            directory = raw[24 : base - 1]
            fields = {}
            for i in range(0, len(directory) - 11, 12):
                tag = directory[i : i + 3].decode(errors="replace")
                flen = int(directory[i + 3 : i + 7])
                start = int(directory[i + 7 : i + 12])
                data = raw[base + start : base + start + flen - 1]
                fields.setdefault(tag, []).append(data)
            yield fields
            n += 1
            if limit and n >= limit:
                return


def sub(field, code):
    for part in field.split(b"\x1f")[1:]:
        if part[:1] == code:
            return part[1:].decode("utf-8", errors="replace").strip(" /:;,.=")
    return None


def control(fields):
    v = fields.get("001")
    return v[0].decode(errors="replace").strip() if v else None


def strip_marks(s):
    d = unicodedata.normalize("NFD", s)
    return "".join(c for c in d if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


def isbn10_to_13(d):
    core = "978" + d[:9]
    total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core))
    return core + str((10 - total % 10) % 10)


def make_queries(path, n, seed=42):
    rng = random.Random(seed)
    titles, authors, subjects, isbns, accented = [], [], [], [], []
    for f in iso2709_records(path, limit=60000):
        for t in f.get("245", [])[:1]:
            a = sub(t, b"a")
            if a:
                words = [w for w in a.split() if len(w) > 3]
                if len(words) >= 2:
                    titles.append(" ".join(words[: rng.randint(2, min(4, len(words)))]))
                if any(ord(c) > 127 for c in a) and len(a.split()) >= 2:
                    accented.append(strip_marks(" ".join(a.split()[:4])))
        for a in f.get("100", [])[:1]:
            name = sub(a, b"a")
            if name:
                authors.append(name.replace(",", " "))
        for s in f.get("650", [])[:1]:
            h = sub(s, b"a")
            if h:
                subjects.append(h)
        for i in f.get("020", [])[:1]:
            v = sub(i, b"a")
            if v:
                digits = "".join(c for c in v.split()[0] if c.isdigit() or c in "Xx")
                if len(digits) == 10 and digits[:9].isdigit():
                    isbns.append(isbn10_to_13(digits))  # the 13-digit form of a stored ISBN-10
                elif len(digits) == 13:
                    isbns.append(f"{digits[:3]}-{digits[3]}-{digits[4:9]}-{digits[9:12]}-{digits[12]}")
    mix = [
        ("title", titles, 0.3),
        ("author", authors, 0.2),
        ("subject", subjects, 0.2),
        ("isbn", isbns, 0.15),
        ("diacritics stripped", accented, 0.15),
    ]
    out = []
    for kind, pool, share in mix:
        if pool:
            out += [(kind, rng.choice(pool)) for _ in range(int(n * share))]
    rng.shuffle(out)
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def search_latency(data_dir, queries):
    port = free_port()
    env = dict(os.environ, RUST_LOG="warn")
    srv = subprocess.Popen(
        [QUIRE, "serve", "--data", data_dir, "--http", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("quire serve did not come up")
            time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def one(q):
            t0 = time.perf_counter()
            conn.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": q}))
            r = conn.getresponse()
            body = r.read()
            dt = (time.perf_counter() - t0) * 1000
            if r.status != 200:
                sys.exit(f"search {q!r}: HTTP {r.status} {body[:300]!r}")
            return dt, json.loads(body)["total"]

        for _, q in queries[:50]:  # warm-up
            one(q)
        by_kind, all_ms, zero = {}, [], 0
        for kind, q in queries:
            ms, total = one(q)
            all_ms.append(ms)
            by_kind.setdefault(kind, []).append(ms)
            zero += total == 0
        return all_ms, by_kind, zero
    finally:
        srv.terminate()
        srv.wait(timeout=30)


def check_indexed(out, _records):
    """`quire import` says how many records it stored and how many it
    indexed: every stored record must be in the index."""
    import re

    stored = sum(int(a) + int(b) for a, b in re.findall(r"(\d+) new, (\d+) replaced", out))
    indexed = sum(int(n) for n in re.findall(r"Search index updated: (\d+) records indexed", out))
    if stored == 0 or indexed < stored:
        sys.exit(f"quire import stored {stored} records but indexed {indexed}:\n{out}")


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def rewrite_001(src, dst, prefix):
    """Copy of src with every 001 given a one-character different prefix
    (same length, so no directory change): the records import as new ones."""
    with open(src, "rb") as f, open(dst, "wb") as out:
        while True:
            head = f.read(5)
            if len(head) < 5:
                break
            raw = bytearray(head + f.read(int(head) - 5))
            base = int(raw[12:17])
            d = raw[24 : base - 1]
            for i in range(0, len(d) - 11, 12):
                if d[i : i + 3] == b"001":
                    start = base + int(d[i + 7 : i + 12])
                    # first non-space byte of the control number
                    j = start
                    while raw[j : j + 1] == b" ":
                        j += 1
                    raw[j : j + 1] = prefix
                    break
            out.write(raw)


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-file", default=str(ROOT / "target" / "bench-data" / "BooksAll.2016.part01.utf8"))
    ap.add_argument("--work", default=str(ROOT / "target" / "bench-catalog"))
    ap.add_argument("--million", action="store_true", help="also import 4x the file (1M records)")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--skip-pymarc", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs per parse measurement (median)")
    ap.add_argument("--pymarc-repeat", type=int, default=1, help="runs of the (slow) pymarc measurements")
    a = ap.parse_args()

    data_file = Path(a.data_file)
    if not data_file.exists():
        fetch = ROOT.parent / "shared" / "data" / "fetch-loc-books.sh"
        print(f"fetching the LoC records with {fetch} ...", file=sys.stderr)
        subprocess.run(["bash", fetch, str(data_file.parent)], check=True)
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "quire", "--locked"], check=True, cwd=ROOT)
    work = Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    n_records = sum(1 for _ in iso2709_records(data_file))
    rows = []

    # 1. parsing: each tool parses the whole file, once writing the text
    # form to /dev/null and once only checking the records.
    R = a.repeat
    parse = []  # (mode, tool, seconds, rss, anon, runs)

    def add(mode, tool, cmd, times):
        t, rss, anon = repeated(cmd, times)
        parse.append((mode, tool, t, rss, anon, times))

    add("parse + text dump", "quire marc dump", [QUIRE, "marc", "dump", data_file], R)
    add("parse only", "quire marc dump --count", [QUIRE, "marc", "dump", "--count", data_file], R)
    if shutil.which("yaz-marcdump"):
        add("parse + text dump", "yaz-marcdump", ["yaz-marcdump", data_file], R)
        add("parse only", "yaz-marcdump -n", ["yaz-marcdump", "-n", data_file], R)
    else:
        print("yaz-marcdump not installed (apt-get install yaz): skipped", file=sys.stderr)
    if not a.skip_pymarc:
        venv = ROOT / "target" / "bench-venv"
        py = venv / "bin" / "python"
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            subprocess.run([py, "-m", "pip", "install", "--quiet", "pymarc==5.4.0"], check=True)
        dump = (
            "import sys, pymarc\n"
            "with open(sys.argv[1], 'rb') as f:\n"
            "    for r in pymarc.MARCReader(f, to_unicode=True, force_utf8=True):\n"
            "        sys.stdout.write(str(r))\n"
        )
        count = (
            "import sys, pymarc\n"
            "n = 0\n"
            "with open(sys.argv[1], 'rb') as f:\n"
            "    for r in pymarc.MARCReader(f, to_unicode=True, force_utf8=True):\n"
            "        n += r is not None\n"
            "print(n)\n"
        )
        runs = min(R, a.pymarc_repeat)
        add("parse + text dump", "pymarc 5", [py, "-c", dump, data_file], runs)
        add("parse only", "pymarc 5 (iterate)", [py, "-c", count, data_file], runs)

    # 2. import + index: `quire import` indexes what it commits on a second
    # task when no server runs on the data dir, so the catalog is searchable
    # when it returns; `quire reindex` (a rebuild from scratch) is measured
    # on its own.
    rows = []
    data = work / "data"
    run([QUIRE, "init", "--data", data])
    t_imp, rss_imp, anon_imp, out = run(
        [QUIRE, "import", "--data", data, "--quiet", data_file], capture=True
    )
    check_indexed(out, n_records)
    rows.append((f"import + index {n_records:,} records (SQLite)", "quire import", t_imp, n_records / t_imp, rss_imp, anon_imp))
    t_idx, rss_idx, anon_idx = run([QUIRE, "reindex", "--data", data])
    rows.append(("rebuild the index from scratch (not needed after an import)", "quire reindex", t_idx, n_records / t_idx, rss_idx, anon_idx))

    lat = [search_latency(data, make_queries(data_file, a.queries))]
    sizes = [n_records]

    if a.million:
        copies = []
        for k, prefix in enumerate([b"x", b"y", b"z"]):
            dst = work / f"copy{k}.mrc"
            rewrite_001(data_file, dst, prefix)
            copies.append(dst)
        t_imp, rss_imp, anon_imp, out = run(
            [QUIRE, "import", "--data", data, "--quiet", *copies], capture=True
        )
        n3 = 3 * n_records
        check_indexed(out, n3)
        rows.append((f"import + index {n3:,} more (to {4 * n_records:,})", "quire import", t_imp, n3 / t_imp, rss_imp, anon_imp))
        t_idx, rss_idx, anon_idx = run([QUIRE, "reindex", "--data", data])
        rows.append((f"rebuild the index of {4 * n_records:,} from scratch", "quire reindex", t_idx, 4 * n_records / t_idx, rss_idx, anon_idx))
        lat.append(search_latency(data, make_queries(data_file, a.queries, seed=7)))
        sizes.append(4 * n_records)

    print(f"\nMachine: {machine()}; {time.strftime('%Y-%m-%d')}\n")
    print(f"Parsing ({n_records:,} records; median of the runs shown; "
          "the machine is shared, so only ratios within this run are meaningful):\n")
    print("| mode | tool | runs | seconds | records/s | peak RSS MiB |")
    print("|---|---|---:|---:|---:|---:|")
    for mode, tool, t, rss, anon, runs in parse:
        print(f"| {mode} | {tool} | {runs} | {t:.2f} | {n_records / t:,.0f} | {rss:.0f} |")
    print()
    for mode in ("parse + text dump", "parse only"):
        ours = next((r for r in parse if r[0] == mode and r[1].startswith("quire")), None)
        for r in parse:
            if ours and r[0] == mode and not r[1].startswith("quire"):
                print(f"{mode}: {ours[1]} is {r[2] / ours[2]:.2f}x as fast as {r[1]}")
    print("\nImport + index (peak RSS includes mapped index files; anon = heap and stacks, sampled):\n")
    print("| step | tool | seconds | records/s | peak RSS MiB | peak anon MiB |")
    print("|---|---|---:|---:|---:|---:|")
    for step, tool, t, rate, rss, anon in rows:
        print(f"| {step} | {tool} | {t:.1f} | {rate:,.0f} | {rss:.0f} | {anon:.0f} |")
    print("\n| catalog size | queries | p50 ms | p99 ms | max ms | queries with no hit |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, (ms, _, zero) in zip(sizes, lat):
        print(f"| {size:,} | {len(ms)} | {pct(ms, 50):.2f} | {pct(ms, 99):.2f} | {max(ms):.1f} | {zero} |")
    print("\nper query kind (largest catalog):")
    print("| kind | queries | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for kind, ms in sorted(lat[-1][1].items()):
        print(f"| {kind} | {len(ms)} | {pct(ms, 50):.2f} | {pct(ms, 99):.2f} |")
    print(f"\n(median of all: {statistics.median(lat[-1][0]):.2f} ms)")


if __name__ == "__main__":
    main()
