"""Helpers shared by .ci/crash-harness.py and .ci/soak.py (Python 3 standard library only).

The binary is $DRUGCHECK_BIN, else .build/debug/drugcheck (what `swift build` makes in CI).
Test data is made from the real rows of Imports/be-dca-drugchecking.csv: every file gets its
own sample ids (and so its own bytes), so files can be told apart in the database.
"""
import csv
import os
import socket
import sqlite3
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_CSV = os.path.join(ROOT, "Imports", "be-dca-drugchecking.csv")


def binary():
    path = os.environ.get("DRUGCHECK_BIN", os.path.join(ROOT, ".build", "debug", "drugcheck"))
    if not os.access(path, os.X_OK):
        raise SystemExit(f"no drugcheck binary at {path}: run `swift build` or set DRUGCHECK_BIN")
    return os.path.abspath(path)


def run(*args, env=None, check=True):
    """Runs drugcheck with `args`; returns the completed process (stdout and stderr as text)."""
    done = subprocess.run([binary(), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if check and done.returncode != 0:
        raise RuntimeError(f"drugcheck {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done


def write_findings_csv(path, rows, tag):
    """Writes `rows` data rows copied from Imports/be-dca-drugchecking.csv with sample ids
    `<id>-<tag>-<copy>`. Returns (findings, samples): rows naming a substance, distinct sample ids."""
    with open(SOURCE_CSV, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        source = list(reader)
    sample, substance = header.index("sample_id"), header.index("substance")
    findings, samples = 0, set()
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for n in range(rows):
            row = list(source[n % len(source)])
            row[sample] = f"{row[sample]}-{tag}-{n // len(source)}"
            out.writerow(row)
            findings += bool(row[substance])
            samples.add(row[sample])
    return findings, len(samples)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db, log, *extra):
    """Starts `drugcheck serve` on a free loopback port; returns (process, base URL) once /healthz answers."""
    port = free_port()
    proc = subprocess.Popen([binary(), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), *extra],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        if proc.poll() is not None:
            raise RuntimeError(f"drugcheck serve exited {proc.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("drugcheck serve did not answer /healthz")


def token(db, role, lab=None):
    return run("tokens", "create", "--db", db, "--role", role, *(["--lab", lab] if lab else []), "--quiet").stdout.strip()


def query(db, sql, *args):
    """One query on the database in a fresh connection (what a restarted process sees)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def integrity(db):
    """'ok', or what PRAGMA integrity_check found."""
    return "; ".join(r[0] for r in query(db, "PRAGMA integrity_check"))


def audit_verify(db):
    """None when `drugcheck audit verify` passes, else its output."""
    done = run("audit", "verify", "--db", db, check=False)
    return None if done.returncode == 0 else (done.stdout + done.stderr).strip()[-800:]
