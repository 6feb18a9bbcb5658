#!/usr/bin/env python3
"""Soak test: importing processes and concurrent HTTP readers on one database for a while.

Usage (from the package root, after `swift build`; the binary is $DRUGCHECK_BIN, else
.build/debug/drugcheck):
  python3 .ci/soak.py                   60 s, 4 importers, 32 readers
  python3 .ci/soak.py --seconds 15      the short form CI runs

Over a database holding the example imports, `drugcheck serve` runs (rate limit off: the soak
loads the database, not the per-token limiter, and its readers share one token per role) while
  - 4 importers each run `drugcheck import --no-bulletin-scan` on a series of distinct
    5,000-row findings CSVs (made from Imports/be-dca-drugchecking.csv), one after another;
  - 32 readers loop over GET /v1/reports/weekly/2026-W36 (ministry token), GET /v1/samples
    following next_cursor page by page (lab token), GET /v1/bulletins/feed.atom with
    If-None-Match (subscriber token), one kind per reader in turn, each on its own keep-alive
    connection.
Imports that started before the deadline finish. Checks:
  - zero failed requests: any status but 2xx/304, or a connection error, is listed;
  - every import succeeded, and the findings stored equal the baseline plus every file sent;
  - the report's tested count (all strata of 2026-W36) never decreases from one answer to an
    answer requested after it came, always equals the baseline plus whole files (every file adds
    the same number of samples to that week), and at the end equals the count in the database.
Prints imports/s, findings/s, reads/s and p50/p99 latency per kind; exits 1 on any failure.
"""
import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time

import reliability as dc

WEEK = "2026-W36"
ROWS = 5000


class Soak:
    def __init__(self, work, db, base_url, tokens, deadline, tested_base, week_step):
        self.work, self.db, self.base_url, self.tokens, self.deadline = work, db, base_url, tokens, deadline
        self.tested_base, self.week_step = tested_base, week_step
        self.lock = threading.Lock()
        self.latencies = {"report": [], "samples": [], "feed": []}
        self.failures = []
        self.imports = []          # (file, findings, seconds, returncode, output)
        self.max_tested = tested_base  # the highest tested count among answers already received

    def fail(self, message):
        with self.lock:
            self.failures.append(message)

    def importer(self, n):
        k = 0
        while time.monotonic() < self.deadline:
            path = os.path.join(self.work, f"soak-{n}-{k}.csv")
            findings, _ = dc.write_findings_csv(path, ROWS, f"soak{n}x{k}")
            started = time.monotonic()
            done = dc.run("import", path, "--db", self.db, "--no-bulletin-scan", check=False)
            with self.lock:
                self.imports.append((path, findings, time.monotonic() - started, done.returncode,
                                     (done.stdout + done.stderr).strip()[-400:]))
            os.remove(path)
            k += 1

    def reader(self, n):
        kind = ["report", "samples", "feed"][n % 3]
        headers = {"Authorization": f"Bearer {self.tokens[kind]}", "Accept": "application/json"}
        host, port = self.base_url[len("http://"):].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        cursor, etag = None, None
        while time.monotonic() < self.deadline:
            path = {"report": f"/v1/reports/weekly/{WEEK}",
                    "samples": "/v1/samples?limit=100" + (f"&cursor={cursor}" if cursor else ""),
                    "feed": "/v1/bulletins/feed.atom"}[kind]
            extra = {"If-None-Match": etag} if kind == "feed" and etag else {}
            with self.lock:
                floor = self.max_tested
            started = time.monotonic()
            try:
                conn.request("GET", path, headers={**headers, **extra})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.fail(f"GET {path}: {type(error).__name__}: {error}")
                conn.close()
                continue
            elapsed = time.monotonic() - started
            with self.lock:
                self.latencies[kind].append(elapsed)
            if not (200 <= response.status < 300 or response.status == 304):
                self.fail(f"GET {path}: {response.status} {body[:200]!r}")
                continue
            if kind == "feed":
                etag = response.getheader("ETag") or etag
            elif kind == "samples":
                cursor = json.loads(body)["next_cursor"]
            else:
                self.check_report(tested(json.loads(body)), floor)

    def check_report(self, count, floor):
        if count < floor:
            self.fail(f"the report's tested count went down: {count} after an earlier answer said {floor}")
        if (count - self.tested_base) % self.week_step:
            self.fail(f"the report's tested count {count} is not the baseline {self.tested_base} plus whole files "
                      f"({self.week_step} samples each): a file is half visible")
        with self.lock:
            self.max_tested = max(self.max_tested, count)


def tested(report):
    """The tested count of the report's cell over all strata."""
    return next(c["tested"] for c in report["cells"] if c["class"] == "any_synthetic_opioid"
                and all(c[k] == "all" for k in ("sample_type", "source", "region", "lab")))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def report_over_http(base_url, token):
    host, port = base_url[len("http://"):].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("GET", f"/v1/reports/weekly/{WEEK}", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"the final report answered {response.status}: {body[:200]!r}")
    return tested(json.loads(body))


def week_samples(path):
    """Samples of a generated file that fall in WEEK, counted by the database a file at a time."""
    db = path + ".sqlite"
    dc.run("import", path, "--db", db, "--no-bulletin-scan")
    (count,), = dc.query(db, """SELECT COUNT(*) FROM sample s JOIN sample_classification c ON c.sample_id = s.id
                                WHERE s.iso_week = ?""", WEEK)
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long imports and reads go on (default 60)")
    parser.add_argument("--importers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=32)
    args = parser.parse_args()
    print(f"soak: {args.seconds:.0f} s, {args.importers} importers, {args.readers} readers, binary {dc.binary()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="soak-") as work, open(os.path.join(work, "server.log"), "w") as log:
        db = os.path.join(work, "soak.sqlite")
        dc.run("import", os.path.join(dc.ROOT, "Imports"), "--db", db)
        bulletin = dc.run("bulletins", "list", "--db", db).stdout.split()[0]
        dc.run("bulletins", "approve", bulletin, "--db", db, env={"DRUGCHECK_USER": "soak-reviewer"})
        dc.run("bulletins", "publish", bulletin, "--db", db, "--user", "soak-publisher")
        tokens = {"report": dc.token(db, "ministry"), "samples": dc.token(db, "lab", "BE-DCA"),
                  "feed": dc.token(db, "subscriber")}
        probe = os.path.join(work, "probe.csv")
        dc.write_findings_csv(probe, ROWS, "probe")
        step = week_samples(probe)
        (base_findings,), = dc.query(db, "SELECT COUNT(*) FROM finding")
        server, base_url = dc.start_server(db, log, "--rate-limit", "0")
        try:
            tested_base = report_over_http(base_url, tokens["report"])
            started = time.monotonic()
            soak = Soak(work, db, base_url, tokens, started + args.seconds, tested_base, step)
            threads = [threading.Thread(target=soak.importer, args=(n,)) for n in range(args.importers)]
            threads += [threading.Thread(target=soak.reader, args=(n,)) for n in range(args.readers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            final = report_over_http(base_url, tokens["report"])
        finally:
            server.terminate()
            server.wait()
        (stored,), = dc.query(db, "SELECT COUNT(*) FROM finding")
        (in_week,), = dc.query(db, """SELECT COUNT(*) FROM sample s JOIN sample_classification c ON c.sample_id = s.id
                                      WHERE s.iso_week = ?""", WEEK)
    failed_imports = [i for i in soak.imports if i[3] != 0]
    sent = base_findings + sum(i[1] for i in soak.imports)
    failures = list(soak.failures)
    failures += [f"import of {os.path.basename(i[0])} exited {i[3]}: {i[4]}" for i in failed_imports]
    if stored != sent:
        failures.append(f"{stored} findings stored, {sent} sent (baseline {base_findings}): {sent - stored} lost")
    if final != in_week:
        failures.append(f"the final report counts {final} samples tested in {WEEK}, the database holds {in_week}")
    expected_week = tested_base + step * (len(soak.imports) - len(failed_imports))
    if in_week != expected_week:
        failures.append(f"{in_week} samples in {WEEK} stored, {expected_week} expected from the files imported")
    reads = {k: len(v) for k, v in soak.latencies.items()}
    print(f"soak: {len(soak.imports)} imports of {ROWS:,} rows in {elapsed:.1f} s: "
          f"{len(soak.imports) / elapsed:.2f} imports/s, {(sent - base_findings) / elapsed:,.0f} findings/s "
          f"(median import {percentile([i[2] for i in soak.imports], 50):.1f} s)")
    print(f"soak: {sum(reads.values())} reads: {sum(reads.values()) / elapsed:.1f} reads/s; "
          f"tested in {WEEK} went {tested_base} -> {final}; {len(failures)} failures")
    print(f"{'kind':<8} {'reads':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, values in [*soak.latencies.items(), ("all", sum(soak.latencies.values(), []))]:
        print(f"{kind:<8} {len(values):>6} {percentile(values, 50) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")
    for failure in failures[:50]:
        print(f"soak: FAIL: {failure}", file=sys.stderr)
    if len(failures) > 50:
        print(f"soak: FAIL: … and {len(failures) - 50} more", file=sys.stderr)
    if failures:
        sys.exit(1)
    print("soak: OK")


if __name__ == "__main__":
    main()
