#!/bin/bash
# Interleaved mzML decoding rounds against the Python peers, for BENCHMARKS.md "mzML decoding".
# The 2-core VM changes speed from minute to minute, so each round times DrugCheck three times
# around one run of each peer and compares them within the round.
#
#   ROUNDS=10 NEW=.build-stats/release/drugcheck [OLD=/path/to/older/drugcheck] \
#   FILE=/tmp/xml-bench.mzML bash Benchmarks/mzml/rounds.sh
#
# FILE comes from ../shared/bench/gen_mzml.py -n 20000; the peers from ../shared/bench/setup.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=${BENCH_DIR:-$here/../../../shared/bench}
python=${PYTHON:-$bench/.venv/bin/python}
FILE=${FILE:-/tmp/xml-bench.mzML}
ROUNDS=${ROUNDS:-10}
NEW=${NEW:?set NEW to the drugcheck binary}
OLD=${OLD:-}

seconds() { "$1" bench mzml "$FILE" | awk '/^parse/ {print $2}'; }
peer() { awk -F'|' -v p="$1" '$2 ~ "^ "p" " {gsub(/ /, "", $3); print $3}'; }

for round in $(seq 1 "$ROUNDS"); do
  a=$(seconds "$NEW"); o1=${OLD:+$(seconds "$OLD")}; b=$(seconds "$NEW")
  peers=$("$python" "$bench/peers_mzml.py" "$FILE" --peers pyteomics,pyopenms --repeats 1 2>&1)
  c=$(seconds "$NEW"); o2=${OLD:+$(seconds "$OLD")}
  pt=$(echo "$peers" | peer pyteomics); po=$(echo "$peers" | peer pyopenms)
  python3 - "$round" "$a" "$b" "$c" "$pt" "$po" "${o1:-}" "${o2:-}" <<'PY'
import statistics, sys, time
r, a, b, c, pt, po, o1, o2 = sys.argv[1:]
ours = statistics.median(map(float, (a, b, c)))
line = (f"round {r} {time.strftime('%H:%M:%S')} ours {a} {b} {c} | pyteomics {pt} pyopenms {po} | "
        f"x{float(pt) / ours:.1f} pyteomics, x{float(po) / ours:.1f} pyopenms")
if o1:
    old = statistics.median((float(o1), float(o2)))
    line += f" | old {o1} {o2}: x{float(pt) / old:.1f} pyteomics"
print(line, flush=True)
PY
done
