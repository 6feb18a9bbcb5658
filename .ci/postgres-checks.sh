#!/usr/bin/env bash
# The real binary on PostgreSQL (issue #18): the demo database copied with `drugcheck db copy`, the
# weekly report of every week with samples byte-identical (but for editions' times) on SQLite and on PostgreSQL (JSON and CSV),
# the samples listed and shown with their history as on SQLite,
# the audit log verified on PostgreSQL, a second copy into the same database refused, bad locations said plainly, the bulletins listed, shown and fed as on SQLite,
# files imported (and rejected), stored spectra identified again, results verified and rejected, the bulletin review, subscribers, users and tokens written on PostgreSQL as on SQLite, two deliverers sending its outbox at once.
# Needs $DRUGCHECK_TEST_POSTGRES (eval "$(bash .ci/postgres.sh start)").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DRUGCHECK_TEST_POSTGRES:?start a server first: eval \"\$(bash .ci/postgres.sh start)\"}"
bin=.build/debug/drugcheck
work=$(mktemp -d)
trap 'kill ${receiver:-} 2>/dev/null || true; rm -rf "$work"' EXIT
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

# The audit log verified on PostgreSQL's own rows: intact, the same entries and head as on SQLite, shown the same.
verified=$("$bin" audit verify --db "$target")
[ "$verified" = "$("$bin" audit verify --db "$work/demo.sqlite")" ] && [[ "$verified" == "audit log intact: "* ]] || { echo "$verified"; exit 1; }
cmp <("$bin" audit show --db "$target" --format json) <("$bin" audit show --db "$work/demo.sqlite" --format json)

# A backup of the PostgreSQL database: a checked file of the usual form, restored into an empty
# PostgreSQL database and into a SQLite file, each with the same audit log and samples; a restore
# into a database that holds data is refused.
"$bin" backup "$work/pg-backup.sqlite" --db "$target" | grep -q "^backup $work/pg-backup.sqlite: schema "
restored="${DRUGCHECK_TEST_POSTGRES%/*}/dc_restore_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_restore_$$" >/dev/null
"$bin" restore "$work/pg-backup.sqlite" --db "$restored" | grep -q "^restored "
"$bin" restore "$work/pg-backup.sqlite" --db "$work/restored.sqlite" | grep -q "^restored "
for copy in "$restored" "$work/restored.sqlite"; do
  [ "$("$bin" audit verify --db "$copy")" = "$verified" ] || { "$bin" audit verify --db "$copy"; exit 1; }
  cmp <("$bin" audit show --db "$copy" --format json) <("$bin" audit show --db "$target" --format json)
  cmp <("$bin" samples --db "$copy" --format json) <("$bin" samples --db "$target" --format json)
done
if "$bin" restore "$work/pg-backup.sqlite" --db "$restored" 2> "$work/err"; then echo "restore over data accepted" >&2; exit 1; fi
grep -q "already holds DrugCheck data" "$work/err" || { cat "$work/err"; exit 1; }
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_restore_$$ WITH (FORCE)" >/dev/null

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

# The samples as on SQLite: the list in each format and filter, and each sample with its history.
for args in "--format json" "--format csv" "--class nitazene --format json" "--status verified --format json"; do
  cmp <("$bin" samples --db "$target" $args) <("$bin" samples --db "$work/demo.sqlite" $args)
done
shown=0
for ref in $("$bin" samples --db "$work/demo.sqlite" --format csv | tail -n +2 | cut -d, -f1,2 | tr , / | sed -n '1~20p'); do
  cmp <("$bin" samples show "$ref" --history --format json --db "$target") <("$bin" samples show "$ref" --history --format json --db "$work/demo.sqlite")
  shown=$((shown + 1))
done
[ "$shown" -ge 5 ] || { echo "postgres-checks: only $shown samples shown" >&2; exit 1; }

# Verification on PostgreSQL: results imported as 'submitted' (on SQLite, then copied) are verified
# and rejected there by a second person, as the same commands do on SQLite; the importer is refused.
echo '{"required": true}' > "$work/verification.json"
for file in Imports/be-dca-drugchecking.csv Imports/nl-dims-export.tsv; do
  DRUGCHECK_USER=analyst "$bin" import --db "$work/pending.sqlite" --verification-config "$work/verification.json" "$file" >/dev/null
done
pending="${DRUGCHECK_TEST_POSTGRES%/*}/dc_pending_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_pending_$$" >/dev/null
"$bin" db copy --from "$work/pending.sqlite" --to "$pending" >/dev/null
waiting=$("$bin" samples --db "$work/pending.sqlite" --status submitted --format csv | tail -n +2 | cut -d, -f1,2 | tr , /)
[ "$(echo "$waiting" | wc -l)" -ge 10 ] || { echo "postgres-checks: only $(echo "$waiting" | wc -l) samples wait" >&2; exit 1; }
first=$(echo "$waiting" | head -1); second=$(echo "$waiting" | sed -n 2p)
for db in "$work/pending.sqlite" "$pending"; do
  set +e
  "$bin" verify --db "$db" --as cli:analyst "$first" > "$work/refused.$$"; [ $? -eq 1 ] && grep -q "four-eyes" "$work/refused.$$" || { cat "$work/refused.$$"; exit 1; }
  set -e
  "$bin" verify --db "$db" --as an.peeters --reject "vial broken" "$second" > "$work/rejected.$$"
  "$bin" verify --db "$db" --as an.peeters --all-pending > "$work/verified.$$"
  [ "$(wc -l < "$work/verified.$$")" -ge 8 ]
  mv "$work/verified.$$" "$work/verified.$(basename "$db")"
done
cmp "$work/verified.pending.sqlite" "$work/verified.dc_pending_$$"
# The same samples, statuses and verifiers; the verification times are each run's own.
for args in "--format json" "--status rejected --format json"; do
  cmp <("$bin" samples --db "$pending" $args | sed -E 's/"at" : [0-9.]+/"at" : 0/') \
      <("$bin" samples --db "$work/pending.sqlite" $args | sed -E 's/"at" : [0-9.]+/"at" : 0/')
done
grep -q '"status" : "rejected"' <("$bin" samples --db "$pending" --status rejected --format json)
[ -z "$("$bin" samples --db "$pending" --status submitted --format csv | tail -n +2)" ]
[[ "$("$bin" audit verify --db "$pending")" == "audit log intact: "* ]]
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_pending_$$ WITH (FORCE)" >/dev/null

# Stored spectra identified again on PostgreSQL after a library is added, as on SQLite: the same
# results, written there (findings, identifications, classifications, an audit entry).
cp "$work/demo.sqlite" "$work/classify.sqlite"
for db in "$work/classify.sqlite" "$target"; do
  "$bin" library import --db "$db" ../shared/refdata/spectra/massbank/fentanyl --name fentanyl-ref --version 1 >/dev/null
  "$bin" classify --all --format json --db "$db" > "$work/classified.$(basename "$db")"
done
cmp "$work/classified.classify.sqlite" "$work/classified.dc_cli_$$"
grep -q '"status" : "reclassified"' "$work/classified.dc_cli_$$"
[[ "$("$bin" audit verify --db "$target")" == "audit log intact: "* ]]
cmp <("$bin" samples --db "$target" --format json) <("$bin" samples --db "$work/classify.sqlite" --format json)

# Files imported on PostgreSQL as on SQLite: the examples (spectra identified on import), the same
# summaries, samples, reports and an intact audit log; a broken file rejected (exit 1) and kept
# with its error report in $DRUGCHECK_QUARANTINE; the same bytes again imported once.
imported="${DRUGCHECK_TEST_POSTGRES%/*}/dc_import_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_import_$$" >/dev/null
"$bin" db migrate --db "$imported" >/dev/null
for db in "$work/imported.sqlite" "$imported"; do
  DRUGCHECK_USER=analyst "$bin" import --db "$db" Imports/ > "$work/import.$(basename "$db")"
done
cmp "$work/import.imported.sqlite" "$work/import.dc_import_$$"
[ "$(grep -c ": imported (" "$work/import.dc_import_$$")" -ge 7 ]
grep -q "spectra identified with" "$work/import.dc_import_$$"
unstamped() { sed -E 's/"at" : [0-9.]+/"at" : 0/'; }
cmp <("$bin" samples --db "$imported" --format json | unstamped) <("$bin" samples --db "$work/imported.sqlite" --format json | unstamped)
for week in 2026-W47 2026-W46 2026-W45; do
  cmp <("$bin" report weekly --db "$imported" --week $week --format csv) <("$bin" report weekly --db "$work/imported.sqlite" --week $week --format csv)
done
set +e
DRUGCHECK_QUARANTINE="$work/kept" "$bin" import --db "$imported" Imports/broken-example-findings.csv > "$work/rejected.$$"; [ $? -eq 1 ] || { cat "$work/rejected.$$"; exit 1; }
set -e
grep -q "rejected (5 problems)" "$work/rejected.$$" && ls "$work/kept/"*broken-example-findings.csv.errors.txt >/dev/null
"$bin" import --db "$imported" Imports/be-dca-drugchecking.csv | grep -q "already imported"
# The demo on PostgreSQL prints what it prints on SQLite (the audit head and the CAP message's
# sent time are each run's own).
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_demo_$$" >/dev/null
demo="${DRUGCHECK_TEST_POSTGRES%/*}/dc_demo_$$"
"$bin" db migrate --db "$demo" >/dev/null
own() { sed -E "s#$1#DB#; s/SHA-256 [0-9a-f]{64}/SHA-256 (head)/; s/\| Sent \| [^|]+\|/| Sent | (time) |/"; }
"$bin" demo --db "$demo" | own "$demo" > "$work/demo.pg"
"$bin" demo --db "$work/demo-again.sqlite" | own "$work/demo-again.sqlite" > "$work/demo.sqlite.txt"
grep -q "== Weekly report" "$work/demo.pg" && grep -q "draft(s) awaiting review" "$work/demo.pg"
cmp "$work/demo.pg" "$work/demo.sqlite.txt"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_demo_$$ WITH (FORCE)" >/dev/null

# The drop folder on PostgreSQL: a lab's export moved to processed/ once stored there.
mkdir -p "$work/drop/NL-DIMS" && sed 's/DIMS-/DIMW-/' Imports/nl-dims-export.tsv > "$work/drop/NL-DIMS/dims-week.tsv"
"$bin" watch "$work/drop" --once --settle 0 --no-bulletin-scan --db "$imported" | grep -q "dims-week.tsv: imported (findings-csv): 35 samples"
[ -f "$work/drop/processed/NL-DIMS/dims-week.tsv" ]
[[ "$("$bin" audit verify --db "$imported")" == "audit log intact: "* ]]
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_import_$$ WITH (FORCE)" >/dev/null

# Two deliverers at once on one PostgreSQL database (two hosts' cron jobs): every queued delivery
# arrives exactly once, signed, and is recorded delivered (rows claimed with FOR UPDATE SKIP LOCKED). The
# deliveries are those of a review written on PostgreSQL itself (below).
cp "$work/demo.sqlite" "$work/deliver.sqlite"
cat > "$work/receiver.py" <<'PY'
import hashlib, hmac, http.server, sys, threading, time
lock, log = threading.Lock(), open(sys.argv[2], "a")
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(b"e2e-secret", self.headers["X-DrugCheck-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
        time.sleep(0.02)
        with lock:
            log.write(("signed " if hmac.compare_digest(expected, self.headers["X-DrugCheck-Signature"]) else "UNSIGNED ")
                      + self.headers["Idempotency-Key"] + "\n")
            log.flush()
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
python3 "$work/receiver.py" "$work/port" "$work/arrivals" & receiver=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
for name in poison-centre focal-point; do
  DRUGCHECK_WEBHOOK_ALLOW="127.0.0.1:$port" "$bin" subscribers add --db "$work/deliver.sqlite" "$name" --url "http://127.0.0.1:$port/hook/$name" --secret e2e-secret >/dev/null
done
for id in $("$bin" bulletins list --db "$work/deliver.sqlite" --state draft | cut -f1); do
  DRUGCHECK_USER=reviewer "$bin" bulletins approve --db "$work/deliver.sqlite" "$id" >/dev/null
  "$bin" bulletins publish --db "$work/deliver.sqlite" "$id" --user reviewer >/dev/null
done
deliver="${DRUGCHECK_TEST_POSTGRES%/*}/dc_deliver_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_deliver_$$" >/dev/null
"$bin" db copy --from "$work/deliver.sqlite" --to "$deliver" >/dev/null
# The bulletins read the same from PostgreSQL: the list, one bulletin as CAP, the Atom feed.
for command in "list" "show 1 --format cap" "feed --lang nl"; do
  "$bin" bulletins $command --db "$work/deliver.sqlite" > "$work/bulletins.sqlite"
  "$bin" bulletins $command --db "$deliver" > "$work/bulletins.pg"
  cmp "$work/bulletins.sqlite" "$work/bulletins.pg" || { echo "bulletins $command differs on PostgreSQL" >&2; exit 1; }
done
grep -q "<entry>" "$work/bulletins.pg"
# The same review written on PostgreSQL itself: the demo's drafts copied, subscribers added, the
# four-eyes rule enforced, every draft approved and published there, as the SQLite review did.
review="${DRUGCHECK_TEST_POSTGRES%/*}/dc_review_$$"
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_review_$$" >/dev/null
"$bin" db copy --from "$work/demo.sqlite" --to "$review" >/dev/null
for name in poison-centre focal-point; do
  DRUGCHECK_WEBHOOK_ALLOW="127.0.0.1:$port" "$bin" subscribers add --db "$review" "$name" --url "http://127.0.0.1:$port/hook/$name" --secret e2e-secret >/dev/null
done
author=$(psql "$review" -tAc "SELECT created_by FROM bulletin ORDER BY id LIMIT 1")
set +e
"$bin" bulletins approve --db "$review" 1 --user "$author" 2> "$work/err"; [ $? -ne 0 ] && grep -q "four-eyes" "$work/err" || { cat "$work/err"; exit 1; }
set -e
for id in $("$bin" bulletins list --db "$review" --state draft | cut -f1); do
  DRUGCHECK_USER=reviewer "$bin" bulletins approve --db "$review" "$id" >/dev/null
  "$bin" bulletins publish --db "$review" "$id" --user reviewer >/dev/null
done
cmp <("$bin" bulletins list --db "$review") <("$bin" bulletins list --db "$work/deliver.sqlite")
"$bin" bulletins show 1 --format cap --db "$review" | grep -q "<msgType>Alert</msgType>"
cmp <("$bin" subscribers list --db "$review") <("$bin" subscribers list --db "$work/deliver.sqlite")
[ "$(psql "$review" -tAc "SELECT count(*) FROM outbox WHERE state = 'pending'")" = \
  "$(psql "$deliver" -tAc "SELECT count(*) FROM outbox WHERE state = 'pending'")" ]
# Users and tokens managed on PostgreSQL: added, listed, a token created and revoked, all in the audit log.
echo "correct horse battery staple" | "$bin" users add --db "$review" analyst --role ministry --password-stdin >/dev/null
"$bin" tokens create --db "$review" --role lab --lab BE-PGLAB --name pg-uploader --quiet >/dev/null
"$bin" users list --db "$review" | grep -q "analyst"
"$bin" tokens revoke --db "$review" 1 >/dev/null
[ "$(psql "$review" -tAc "SELECT count(*) FROM api_token WHERE revoked_at IS NOT NULL")" = 1 ]
[ "$(psql "$review" -tAc "SELECT count(*) FROM audit_entry WHERE kind IN ('user', 'token')")" -ge 4 ]
# A spectral library stored on PostgreSQL, listed and searched from there.
"$bin" library import --db "$review" ../shared/refdata/spectra/massbank/cocaine --name cocaine-ref --version 1 --licence "CC BY" >/dev/null
"$bin" library list --db "$review" --format json | python3 -c 'import json,sys; l=json.load(sys.stdin); assert [x["name"] for x in l] == ["cocaine-ref"] and l[0]["records"] > 0, l'
[[ "$("$bin" audit verify --db "$review")" == "audit log intact: "* ]]
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_deliver_$$ WITH (FORCE)" >/dev/null
queued=$(psql "$review" -tAc "SELECT count(*) FROM outbox WHERE state = 'pending'")
DRUGCHECK_WEBHOOK_ALLOW="127.0.0.1:$port" "$bin" bulletins deliver --db "$review" > "$work/deliver1" & first=$!
DRUGCHECK_WEBHOOK_ALLOW="127.0.0.1:$port" "$bin" bulletins deliver --db "$review" > "$work/deliver2"
wait "$first"
kill "$receiver"
python3 - "$work/arrivals" "$queued" "$work/deliver1" "$work/deliver2" <<'PY'
import collections, re, sys
arrivals = [line.split() for line in open(sys.argv[1])]
queued = int(sys.argv[2])
assert queued >= 20, f"only {queued} deliveries queued"
assert all(state == "signed" for state, _ in arrivals), "a delivery arrived unsigned"
keys = collections.Counter(key for _, key in arrivals)
assert len(keys) == queued and set(keys.values()) == {1}, f"{len(arrivals)} arrivals of {len(keys)} keys for {queued} deliveries"
delivered = [int(re.match(r"(\d+) delivered", open(f).read()).group(1)) for f in sys.argv[3:]]
assert sum(delivered) == queued, delivered
PY
[ "$(psql "$review" -tAc "SELECT count(*) FROM outbox WHERE state = 'delivered' AND attempts = 1")" = "$queued" ]
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_review_$$ WITH (FORCE)" >/dev/null

# A second copy into the same database is refused (exit 1, plain words), the target unchanged.
if "$bin" db copy --from "$work/demo.sqlite" --to "$target" 2> "$work/err"; then echo "second copy accepted" >&2; exit 1; fi
grep -q "already holds DrugCheck data" "$work/err"
# Commands that run on SQLite only say so (exit 2), and no server at all is said plainly (exit 1).
set +e
"$bin" restore "$work/pg-backup.sqlite" --db "$target" --force 2> "$work/err"; [ $? -eq 2 ] && grep -q "is not replaced" "$work/err" || { cat "$work/err"; exit 1; }
"$bin" report weekly --db postgres://drugcheck@127.0.0.1:1/none 2> "$work/err"; [ $? -eq 1 ] && grep -q "No PostgreSQL server answers" "$work/err" || { cat "$work/err"; exit 1; }
# A database without DrugCheck's schema: what to do, not the server's "relation does not exist".
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_empty_$$" >/dev/null
"$bin" bulletins list --db "${DRUGCHECK_TEST_POSTGRES%/*}/dc_empty_$$" 2> "$work/err"; [ $? -eq 1 ] && grep -q "holds no DrugCheck data: copy a database into it" "$work/err" || { cat "$work/err"; exit 1; }
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_empty_$$" >/dev/null
set -e
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_cli_$$ WITH (FORCE)" >/dev/null

# Two `drugcheck serve` processes on one PostgreSQL database: the end-to-end check of the service
# (upload, report, bulletin review, feed), the second instance serving the first one's writes at once.
psql "$DRUGCHECK_TEST_POSTGRES" -qc "CREATE DATABASE dc_serve_$$" >/dev/null
DRUGCHECK_BIN="$bin" DRUGCHECK_E2E_DB="${DRUGCHECK_TEST_POSTGRES%/*}/dc_serve_$$" bash .ci/e2e.sh
psql "$DRUGCHECK_TEST_POSTGRES" -qc "DROP DATABASE dc_serve_$$ WITH (FORCE)" >/dev/null
echo "postgres-checks: copy checked, two servers on one database, the examples imported, $checked weekly reports and $shown samples identical on SQLite and PostgreSQL, a review written on PostgreSQL as on SQLite, its $queued deliveries sent once by two deliverers"
