#!/usr/bin/env bash
# The import stage end to end with the real binary: spectra identified on import from the CLI,
# and four `drugcheck import` processes at once (5,000-row files made from the real rows of
# Imports/be-dca-drugchecking.csv), first on a new database, then on the existing one: every
# process must succeed and every row must be stored. Exits non-zero on any failure.
# Usage: .ci/import-checks.sh            (from the package root, after `swift build`)
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${DRUGCHECK_BIN:-$(swift build --show-bin-path)/drugcheck}"
[ -x "$bin" ] || swift build --product drugcheck
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "import-checks: FAIL: $*" >&2; exit 1; }

echo "import-checks: mzML spectra identified during 'drugcheck import'"
"$bin" import Imports/mzml-example.mzML --db "$work/one.sqlite" --json >"$work/import.json"
"$bin" samples --db "$work/one.sqlite" --format json >"$work/samples.json"
python3 - "$work/samples.json" <<'PY' || fail "the mzML sample has no fentanyl finding graded by DrugCheck"
import json, sys
samples = json.load(open(sys.argv[1]))
found = [f for s in samples for a in s["sample"]["analyses"] for f in a["findings"]
         if f.get("confidence", {}).get("assessedBy") == "drugcheck" and f.get("substanceID") == "fentanyl"]
assert found and found[0]["confidence"]["level"] == "2a", found
assert "fentanyl_analogue" in samples[0]["classification"]["positiveClasses"], samples[0]["classification"]
PY

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
lines = open("Imports/be-dca-drugchecking.csv").read().splitlines()
header, rows = lines[0], lines[1:]
for n in range(8):
    out = [header]
    copy = 0
    while len(out) <= 5000:
        for row in rows:
            f = row.split(",")
            f[1] = f"{f[1]}-{n}-{copy}"
            out.append(",".join(f))
        copy += 1
    open(f"{work}/lab{n}.csv", "w").write("\n".join(out[:5001]) + "\n")
PY

for round in new existing; do
    echo "import-checks: four importers at once on the $round database"
    pids=()
    for n in 0 1 2 3; do
        k=$([ "$round" = new ] && echo $n || echo $((n + 4)))
        "$bin" import "$work/lab$k.csv" --db "$work/shared.sqlite" --no-bulletin-scan >"$work/out$k.txt" 2>&1 &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { cat "$work"/out*.txt >&2; fail "importer $i failed on the $round database"; }
    done
done
stored="$(sqlite3 "$work/shared.sqlite" "SELECT COUNT(*) FROM finding f JOIN analysis a ON a.id = f.analysis_id")"
expected="$(python3 -c "import csv,sys; print(sum(1 for n in range(8) for r in csv.DictReader(open(f'$work/lab{n}.csv')) if r['substance']))")"
[ "$stored" = "$expected" ] || fail "$stored findings stored, expected $expected"
echo "import-checks: OK ($stored findings from 8 files, 4 importers at a time)"
