#!/usr/bin/env bash
# The real binary on PostgreSQL (issue #18): the demo database copied with `drugcheck db copy`, the
# weekly report of every week with samples byte-identical (but for editions' times) on SQLite and on PostgreSQL (JSON and CSV),
# a second copy into the same database refused, bad locations said plainly.
# Needs $DRUGCHECK_TEST_POSTGRES (eval "$(bash .ci/postgres.sh start)").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DRUGCHECK_TEST_POSTGRES:?start a server first: eval \"\$(bash .ci/postgres.sh start)\"}"
bin=.build/debug/drugcheck
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target="${DRUGCHECK_TEST_POSTGRES%/*}/dc_cli_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_cli_$$" >/dev/null

"$bin" demo --db "$work/demo.sqlite" >/dev/null
"$bin" db copy --from "$work/demo.sqlite" --to "$target" --json > "$work/copy.json"
python3 - "$work/copy.json" <<'PY'
import json, sys
copy = json.load(open(sys.argv[1]))
rows = {t["table"]: t["rows"] for t in copy["tables"]}
assert rows["sample"] > 100 and rows["finding"] > 100 and rows["audit_entry"] > 0, rows
assert copy["audit_head"]["seq"] == rows["audit_entry"], copy["audit_head"]
PY

checked=0
for week in $("$bin" report weekly --db "$work/demo.sqlite" --week 2026-W52 --weeks 52 --format json \
              | python3 -c 'import json,sys; print(" ".join(sorted({p["week"] for p in json.load(sys.stdin)["trend"] if p["tested"] > 0})))'); do
  for format in json csv; do
    "$bin" report weekly --db "$work/demo.sqlite" --week "$week" --format "$format" > "$work/sqlite.$format"
    "$bin" report weekly --db "$target" --week "$week" --format "$format" > "$work/pg.$format"
    # An edition's produced_at is the moment each database first produced it: the one
    # field allowed to differ (a second apart when the two runs straddle a second).
    for side in sqlite pg; do
      sed -E 's/"produced_at" : "[^"]+"/"produced_at" : "(time)"/' "$work/$side.$format" > "$work/$side.cmp"
    done
    cmp "$work/sqlite.cmp" "$work/pg.cmp"
    checked=$((checked + 1))
  done
done
[ "$checked" -ge 4 ] || { echo "postgres-checks: only $checked reports compared" >&2; exit 1; }

# A second copy into the same database is refused (exit 1, plain words), the target unchanged.
if "$bin" db copy --from "$work/demo.sqlite" --to "$target" 2> "$work/err"; then echo "second copy accepted" >&2; exit 1; fi
grep -q "already holds DrugCheck data" "$work/err"
# Commands that run on SQLite only say so (exit 2), and no server at all is said plainly (exit 1).
set +e
"$bin" samples --db "$target" 2> "$work/err"; [ $? -eq 2 ] && grep -q "runs on the SQLite database only" "$work/err" || { cat "$work/err"; exit 1; }
DRUGCHECK_DB="$target" timeout 20 "$bin" serve --port 0 2> "$work/err"; [ $? -eq 2 ] && grep -q "runs on the SQLite database only" "$work/err" || { cat "$work/err"; exit 1; }
"$bin" report weekly --db postgres://drugcheck@127.0.0.1:1/none 2> "$work/err"; [ $? -eq 1 ] && grep -q "No PostgreSQL server answers" "$work/err" || { cat "$work/err"; exit 1; }
set -e
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_cli_$$ WITH (FORCE)" >/dev/null
echo "postgres-checks: copy checked, $checked weekly reports identical on SQLite and PostgreSQL"
