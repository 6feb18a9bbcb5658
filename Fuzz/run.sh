#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a given time, seeded from Imports/ and the shared
# reference data; prints executions and coverage; exits non-zero if any target crashed, and keeps the
# crashing input in Fuzz/artifacts/.
#
#   bash Fuzz/run.sh all --seconds 60
#   bash Fuzz/run.sh FuzzMzML FuzzAnIML --seconds 300
#   DRUGCHECK_FUZZ_SECONDS=60 bash Fuzz/run.sh all
#
# Targets: FuzzFindingsCSV FuzzLabExport FuzzResultsXML FuzzMzML FuzzAnIML FuzzMSP FuzzMassBank FuzzPeakList
# Env: DRUGCHECK_REFDATA (default ../shared/refdata), DRUGCHECK_FUZZ_JOBS (build jobs, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

all=(FuzzFindingsCSV FuzzLabExport FuzzResultsXML FuzzMzML FuzzAnIML FuzzMSP FuzzMassBank FuzzPeakList)
seconds="${DRUGCHECK_FUZZ_SECONDS:-60}"
refdata="${DRUGCHECK_REFDATA:-../shared/refdata}"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    all) targets+=("${all[@]}"); shift ;;
    Fuzz*) targets+=("$1"); shift ;;
    *) echo "usage: $0 TARGET...|all [--seconds N]" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || { echo "usage: $0 TARGET...|all [--seconds N]" >&2; exit 2; }

scratch=Fuzz/.build-fuzz
nice -n 10 swift build --package-path Fuzz --scratch-path "$scratch" -c debug -j "${DRUGCHECK_FUZZ_JOBS:-1}" \
  -Xswiftc -sanitize=fuzzer,address
bin="$(swift build --package-path Fuzz --scratch-path "$scratch" -c debug --show-bin-path)"

# Seed files for a target: small files only (≤ 256 KiB), the MSP libraries cut to their first 16 KiB.
seeds() {
  local f
  case "$1" in
    FuzzFindingsCSV) ls Imports/*.csv "$refdata"/csv/drugchecking/*.csv ;;
    FuzzLabExport) ls Imports/*.csv Imports/*.tsv "$refdata"/csv/instrument/* "$refdata"/datasets/*/*.csv ;;
    FuzzResultsXML) ls Imports/*.xml ;;
    FuzzMzML) find Imports "$refdata/mzml" -name '*.mzML' ;;
    FuzzAnIML) find Imports "$refdata/animl" \( -name '*.animl' -o -name '*animl*.xml' \) ;;
    FuzzMassBank) find "$refdata/spectra/massbank" -name '*.txt' | sort | awk 'NR <= 80' ;;  # awk reads to the end: head's early exit could SIGPIPE sort (pipefail)
    FuzzPeakList) ls "$refdata"/spectra/nitazene_esi_csv/*.csv ;;
  esac 2>/dev/null | while read -r f; do [ "$(stat -c %s "$f")" -le 262144 ] && echo "$f"; done
}

# libFuzzer reports the trap and keeps the input; Swift's own backtracer would only slow it down.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p Fuzz/artifacts
failed=()
for t in "${targets[@]}"; do
  corpus="$work/$t"; mkdir -p "$corpus"
  seeds "$t" | while read -r f; do cp "$f" "$corpus/"; done
  if [ "$t" = FuzzMSP ]; then
    for f in "$refdata"/spectra/*_msp/*.msp; do [ -f "$f" ] && head -c 16384 "$f" > "$corpus/$(basename "$f")"; done
  fi
  dict=()
  case "$t" in FuzzResultsXML|FuzzMzML|FuzzAnIML) dict=(-dict=Fuzz/dicts/xml.dict) ;; esac
  echo "== $t: $(ls "$corpus" | wc -l) seeds, ${seconds}s"
  status=0
  "$bin/$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="Fuzz/artifacts/$t-" > "$work/$t.log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/$t.log" | awk '!seen[$0]++' || true
  echo "corpus: $(ls "$corpus" | wc -l) inputs"
  if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|Fatal error|Test unit written' "$work/$t.log" | head -n 20
    cp "$work/$t.log" "Fuzz/artifacts/$t.log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]} (inputs and logs in Fuzz/artifacts/)" >&2
  exit 1
fi
