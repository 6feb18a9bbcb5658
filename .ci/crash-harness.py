#!/usr/bin/env python3
"""Crash harness: kills `drugcheck import`, `drugcheck watch` and `drugcheck bulletins deliver`
with SIGKILL at seeded random moments and checks after every kill that nothing is lost or
half-written, then that re-running completes the work.

Usage (from the package root, after `swift build`; the binary is $DRUGCHECK_BIN, else
.build/debug/drugcheck):
  python3 .ci/crash-harness.py                     short form for CI: 3 kills of each target,
                                                   a 10,000-row file (< 90 s with a debug build)
  python3 .ci/crash-harness.py --long              >= 50 kills of each target, 100,000 rows
  python3 .ci/crash-harness.py --seed 42 --only delivery --kills 10 --rows 50000

Targets, each in rounds that start from a fresh copy of its baseline database; in a round the
process is started and killed at a moment drawn uniformly from [0, T) (T = the time one uncut
run took, measured first), again and again, until it finished by itself or the round's kills
are done; then one uncut run must complete the work:
  import    `drugcheck import` of one large findings CSV (--no-bulletin-scan: a bulk load)
  watch     `drugcheck watch DIR` with several files dropped (some with NAME.done markers,
            some in a lab subfolder), including its bulletin trigger scan
  delivery  `drugcheck bulletins deliver` of every published bulletin to many webhook
            subscribers, all served by a local receiver that records each Idempotency-Key

Checks after each kill: PRAGMA integrity_check is ok; the batch aggregate switch is off;
every batch holds the findings it says it holds; the report aggregates count every classified
sample; every file is imported whole (all its findings and samples) or absent; `drugcheck
audit verify` passes; watch: every dropped file is in exactly one place (the folder or
processed/), nothing rejected, a processed file is imported; delivery: every outbox row marked
delivered reached the receiver, none failed, every request was correctly signed. After the uncut
run: all work done; delivery: every key received, and at most one duplicate per kill.

Delivery is at-least-once by design (WebhookDeliverer sends, then marks the row delivered in
a later write; a kill in between sends it again with the same Idempotency-Key): duplicates of a
key are counted and reported apart, and fail only beyond one per kill or with a changed body.
Prints a summary table; exits 1 on any failed check, naming it.
"""
import argparse
import hashlib
import hmac
import http.server
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import reliability as dc

SUBSCRIBERS = 12
BULLETINS = 12
WATCH_ROWS = 500  # rows of each file dropped for the watcher
RECEIVER_DELAY = 0.01  # seconds each webhook request is held, to widen the at-least-once window


def db_checks(db):
    """(name, problem or None) for the database-wide checks."""
    yield "integrity_check", None if (r := dc.integrity(db)) == "ok" else r
    deferred = dc.query(db, "SELECT deferred FROM aggregate_control")
    yield "aggregates not deferred", None if deferred == [(0,)] else f"aggregate_control is {deferred}"
    half = dc.query(db, """SELECT b.id, b.file_name, b.finding_count,
                                  (SELECT COUNT(*) FROM finding f JOIN analysis a ON a.id = f.analysis_id WHERE a.batch_id = b.id) AS n
                           FROM import_batch b WHERE b.outcome = 'imported' AND b.finding_count != n""")
    yield "no half-written batch", None if not half else f"batches whose findings differ from their count: {half}"
    (tested,), (classified,) = dc.query(db, "SELECT COALESCE(SUM(tested), 0) FROM report_week_stratum"), \
        dc.query(db, """SELECT COUNT(*) FROM sample s JOIN sample_classification c ON c.sample_id = s.id
                        WHERE s.iso_week IS NOT NULL""")
    yield "report aggregates match samples", None if tested == classified else \
        f"report_week_stratum counts {tested} samples, {classified} are stored"
    yield "audit verify", dc.audit_verify(db)


def whole_or_absent(db, data):
    """None when the file `data` is imported whole or not at all, else what is wrong."""
    batch = dc.query(db, "SELECT id, finding_count FROM import_batch WHERE sha256 = ? AND outcome = 'imported'", data["sha"])
    samples, findings = dc.query(db, """SELECT COUNT(DISTINCT s.id), COUNT(f.id) FROM sample s
                                        LEFT JOIN analysis a ON a.sample_id = s.id LEFT JOIN finding f ON f.analysis_id = a.id
                                        WHERE s.lab_sample_id LIKE ?""", f"%-{data['tag']}-%")[0]
    if batch and (samples, findings, batch[0][1]) != (data["samples"], data["findings"], data["findings"]):
        return f"{data['name']}: batch {batch[0][0]} holds {samples} samples, {findings} findings " \
               f"(count {batch[0][1]}); the file has {data['samples']}, {data['findings']}"
    if not batch and (samples or findings):
        return f"{data['name']}: no imported batch, but {samples} of its samples and {findings} findings are stored"
    return None


def make_file(path, rows, tag):
    findings, samples = dc.write_findings_csv(path, rows, tag)
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return {"path": path, "name": os.path.basename(path), "tag": tag, "findings": findings, "samples": samples, "sha": sha}


def copy_db(source, target):
    """Replaces the database `target` (and its WAL and quarantine) with a copy of `source`."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
    shutil.copy(source, target)
    shutil.rmtree(target + ".quarantine", ignore_errors=True)


class ImportTarget:
    name = "import"

    def __init__(self, work, base, rows):
        self.db = os.path.join(work, "import.sqlite")
        self.base = base
        self.file = make_file(os.path.join(work, "large.csv"), rows, "crash")
        self.description = f"drugcheck import of {rows:,} rows ({self.file['findings']:,} findings)"

    def reset(self):
        copy_db(self.base, self.db)

    def command(self):
        return ["import", self.file["path"], "--db", self.db, "--no-bulletin-scan"]

    uncut_command = command

    def done(self):
        return dc.query(self.db, "SELECT COUNT(*) FROM import_batch WHERE sha256 = ?", self.file["sha"]) == [(1,)]

    def checks(self, complete, kills):
        yield from db_checks(self.db)
        yield "file whole or absent", whole_or_absent(self.db, self.file)
        if complete:
            yield "re-run imported the file", None if self.done() else f"{self.file['name']} is not imported"


class WatchTarget:
    name = "watch"
    lab = "BE-DCA"

    def __init__(self, work, base, rows):
        self.db = os.path.join(work, "watch.sqlite")
        self.base = base
        self.drop = os.path.join(work, "drop")
        self.templates = os.path.join(work, "watch-files")
        os.makedirs(self.templates)
        self.files = [make_file(os.path.join(self.templates, f"run-{n}.csv"), rows, f"watch{n}") for n in range(4)]
        self.description = f"drugcheck watch, {len(self.files)} files of {rows:,} rows dropped"

    def place(self, n):
        """Where file n is dropped: odd ones in the lab's subfolder."""
        return os.path.join(self.drop, self.lab) if n % 2 else self.drop

    def reset(self):
        copy_db(self.base, self.db)
        shutil.rmtree(self.drop, ignore_errors=True)
        for n, data in enumerate(self.files):
            os.makedirs(self.place(n), exist_ok=True)
            shutil.copy(data["path"], self.place(n))
            if n < 2:
                open(os.path.join(self.place(n), data["name"] + ".done"), "w").close()

    def command(self):
        return ["watch", self.drop, "--db", self.db, "--settle", "0.2", "--interval", "0.2"]

    def uncut_command(self):
        return self.command() + ["--once"]

    def locations(self, n):
        data = self.files[n]
        relative = os.path.relpath(self.place(n), self.drop)
        found = [p for p in [os.path.join(self.place(n), data["name"])] if os.path.exists(p)]
        processed = os.path.normpath(os.path.join(self.drop, "processed", relative))
        if os.path.isdir(processed):
            stem = data["name"][:-len(".csv")]
            found += [os.path.join(processed, f) for f in os.listdir(processed)
                      if f == data["name"] or (f.startswith(stem + " (") and f.endswith(".csv"))]
        return found

    def checks(self, complete, kills):
        yield from db_checks(self.db)
        for n, data in enumerate(self.files):
            yield "file whole or absent", whole_or_absent(self.db, data)
            where = self.locations(n)
            yield "file in exactly one place", None if len(where) == 1 else f"{data['name']} is at {where or 'no place'}"
            if where and "/processed/" in where[0]:
                imported = dc.query(self.db, "SELECT COUNT(*) FROM import_batch WHERE sha256 = ? AND outcome = 'imported'", data["sha"])
                yield "processed file is imported", None if imported == [(1,)] else f"{data['name']} moved but not imported"
            if complete:
                yield "re-run processed the file", None if where and "/processed/" in where[0] else f"{data['name']} still at {where}"
        rejected = os.path.join(self.drop, "rejected")
        yield "nothing rejected", None if not os.path.exists(rejected) else f"rejected/ holds {os.listdir(rejected)}"

    def done(self):
        return all(len(w) == 1 and "/processed/" in w[0] for w in map(self.locations, range(len(self.files))))


class Receiver(http.server.ThreadingHTTPServer):
    """Webhook receiver on a loopback port: /hook/<n> is subscriber n with secret secret-<n>."""
    daemon_threads = True

    def __init__(self):
        self.lock = threading.Lock()
        self.received = {}   # Idempotency-Key -> [sha256 of each body received]
        self.bad_signatures = []
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, n):
        return f"http://127.0.0.1:{self.server_address[1]}/hook/{n}"

    def clear(self):
        with self.lock:
            self.received, self.bad_signatures = {}, []


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("Idempotency-Key", "")
        secret = f"secret-{self.path.rsplit('/', 1)[-1]}".encode()
        timestamp = self.headers.get("X-DrugCheck-Timestamp", "")
        expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        with self.server.lock:
            self.server.received.setdefault(key, []).append(hashlib.sha256(body).hexdigest())
            if not hmac.compare_digest(expected, self.headers.get("X-DrugCheck-Signature", "")):
                self.server.bad_signatures.append(key)
        time.sleep(RECEIVER_DELAY)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class DeliveryTarget:
    name = "delivery"

    def __init__(self, work, base):
        self.db = os.path.join(work, "delivery.sqlite")
        self.base = os.path.join(work, "delivery-base.sqlite")
        self.receiver = Receiver()
        # Webhooks go to public https addresses only, except hosts on this allow-list.
        os.environ["DRUGCHECK_WEBHOOK_ALLOW"] = f"127.0.0.1:{self.receiver.server_address[1]}"
        copy_db(base, self.base)
        for n in range(SUBSCRIBERS):
            dc.run("subscribers", "add", f"hook-{n}", "--url", self.receiver.url(n), "--secret", f"secret-{n}",
                   "--format", "json" if n % 2 else "cap", "--db", self.base)
        drafts = [int(line.split()[0]) for line in dc.run("bulletins", "list", "--db", self.base).stdout.splitlines()
                  if "\tdraft\t" in line][:BULLETINS]
        for bulletin in drafts:
            dc.run("bulletins", "approve", str(bulletin), "--db", self.base, env={"DRUGCHECK_USER": "harness-reviewer"})
            dc.run("bulletins", "publish", str(bulletin), "--db", self.base, "--user", "harness-publisher")
        self.keys = {k for (k,) in dc.query(self.base, "SELECT idempotency_key FROM outbox")}
        self.description = f"drugcheck bulletins deliver, {len(self.keys)} webhooks ({len(drafts)} bulletins x {SUBSCRIBERS} subscribers)"
        self.duplicates = 0

    def reset(self):
        copy_db(self.base, self.db)
        self.receiver.clear()

    def command(self):
        return ["bulletins", "deliver", "--db", self.db, "--max-wait", "5"]

    uncut_command = command

    def done(self):
        return dc.query(self.db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == [(0,)]

    def checks(self, complete, kills):
        yield from db_checks(self.db)
        with self.receiver.lock:
            received = {k: list(v) for k, v in self.receiver.received.items()}
            bad = list(self.receiver.bad_signatures)
        rows = dict(dc.query(self.db, "SELECT idempotency_key, state FROM outbox"))
        lost = sorted(k for k, state in rows.items() if state == "delivered" and k not in received)
        yield "no delivered row lost", None if not lost else f"{len(lost)} rows marked delivered never reached the receiver: {lost[:3]}"
        failed = sorted(k for k, state in rows.items() if state == "failed")
        yield "no delivery given up", None if not failed else f"{len(failed)} rows failed: {failed[:3]}"
        unknown = sorted(set(received) - self.keys)
        yield "only queued keys sent", None if not unknown else f"keys not in the outbox: {unknown[:3]}"
        yield "signatures valid", None if not bad else f"{len(bad)} requests with a bad signature: {bad[:3]}"
        changed = sorted(k for k, bodies in received.items() if len(set(bodies)) > 1)
        yield "duplicates carry the same body", None if not changed else f"keys sent again with another body: {changed[:3]}"
        if complete:
            missing = sorted(self.keys - set(received))
            yield "every key received", None if not missing else f"{len(missing)} deliveries never received: {missing[:3]}"
            pending = sorted(k for k, state in rows.items() if state != "delivered")
            yield "every row delivered", None if not pending else f"{len(pending)} rows not delivered: {pending[:3]}"
            duplicates = sum(len(v) - 1 for v in received.values())
            self.duplicates += duplicates
            yield "at most one duplicate per kill", None if duplicates <= kills else \
                f"{duplicates} duplicate deliveries after {kills} kills"


def baseline(work):
    """A database holding the example imports (and the draft bulletins their trigger scan made)."""
    base = os.path.join(work, "base.sqlite")
    dc.run("import", os.path.join(dc.ROOT, "Imports"), "--db", base)
    return base


def exercise(target, rng, kills, per_round, log):
    """Runs the target's rounds; returns its summary (failures are listed in it)."""
    stats = {"kills": 0, "finished": 0, "rounds": 0, "passed": 0, "failures": []}

    def check(when, complete, round_kills):
        for name, problem in target.checks(complete, round_kills):
            if problem:
                stats["failures"].append(f"{target.name}: {when}: {name}: {problem}")
            else:
                stats["passed"] += 1

    def rerun(when, round_kills):
        """An uncut run that must complete the work; returns its duration."""
        started = time.monotonic()
        done = dc.run(*target.uncut_command(), check=False)
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            stats["failures"].append(f"{target.name}: {when}: exited {done.returncode}: {done.stderr.strip()[-500:]}")
        check(when, True, round_kills)
        return elapsed

    target.reset()
    window = rerun("uncut calibration run", 0)
    print(f"  {target.description}: an uncut run takes {window:.1f} s; kills drawn from [0, {window:.1f}) s", flush=True)
    while stats["kills"] < kills and not stats["failures"]:
        stats["rounds"] += 1
        target.reset()
        round_kills = 0
        while round_kills < per_round and stats["kills"] < kills:
            delay = rng.uniform(0, window)
            proc = subprocess.Popen([dc.binary(), *target.command()], stdout=log, stderr=log)
            try:
                proc.wait(timeout=delay)
                stats["finished"] += 1
                break
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            stats["kills"] += 1
            round_kills += 1
            check(f"round {stats['rounds']}, kill {stats['kills']} at {delay:.2f} s", False, round_kills)
            if target.done():
                break
        rerun(f"round {stats['rounds']}, re-run after {round_kills} kills", round_kills)
        print(f"  round {stats['rounds']}: {round_kills} kill(s), {stats['kills']} in all, {stats['passed']} checks passed, "
              f"{len(stats['failures'])} failed", flush=True)
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help=">= 50 kills of each target")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="seed of the kill moments (default: the time)")
    parser.add_argument("--only", choices=["import", "watch", "delivery"], action="append", help="run only these targets")
    parser.add_argument("--kills", type=int, help="kills per target (default 3, or 50 with --long)")
    parser.add_argument("--rows", type=int, help="rows of the imported file (default 10,000, or 100,000 with --long)")
    args = parser.parse_args()
    kills = args.kills or (50 if args.long else 3)
    rows = args.rows or (100_000 if args.long else 10_000)
    per_round = 10 if args.long else 3
    only = args.only or ["import", "watch", "delivery"]
    print(f"crash-harness: seed {args.seed} (rerun with --seed {args.seed}), {kills} kills per target, binary {dc.binary()}")
    started = time.monotonic()
    rows_out, failures = [], []
    with tempfile.TemporaryDirectory(prefix="crash-harness-") as work, open(os.path.join(work, "processes.log"), "w") as log:
        base = baseline(work)
        makers = {"import": lambda: ImportTarget(work, base, rows), "watch": lambda: WatchTarget(work, base, WATCH_ROWS),
                  "delivery": lambda: DeliveryTarget(work, base)}
        for name in only:
            print(f"crash-harness: {name}", flush=True)
            target = makers[name]()
            stats = exercise(target, random.Random(f"{args.seed}:{name}"), kills, per_round, log)
            rows_out.append((name, stats, getattr(target, "duplicates", None)))
            failures += stats["failures"]
    print(f"\n{'target':<10} {'kills':>5} {'ran out':>7} {'rounds':>6} {'checks passed':>13} {'failed':>6} {'duplicates':>10}")
    for name, s, dup in rows_out:
        print(f"{name:<10} {s['kills']:>5} {s['finished']:>7} {s['rounds']:>6} {s['passed']:>13} {len(s['failures']):>6} "
              f"{'-' if dup is None else dup:>10}")
    print(f"('ran out': runs that finished before their kill moment; duplicates: webhook requests repeated with the "
          f"same Idempotency-Key after a kill)\ncrash-harness: {time.monotonic() - started:.0f} s, seed {args.seed}")
    for failure in failures:
        print(f"crash-harness: FAIL: {failure}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print("crash-harness: OK")


if __name__ == "__main__":
    main()
