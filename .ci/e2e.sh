#!/usr/bin/env bash
# End-to-end check of the HTTP service: starts the real `drugcheck serve` on a free loopback
# port over a fresh database, uploads an example export with curl, pulls the weekly report
# and the Atom feed (after approving and publishing a bulletin the upload triggered, with a
# conditional GET), checks that a second server process on the same database file serves the
# new report and feed at once (its caches follow the other's writes), stops both, and validates
# Schemas/openapi.yaml with openapi-spec-validator (PyPI). Exits non-zero on any failure.
# Usage: .ci/e2e.sh            (from the package root, after `swift build`)
#        DRUGCHECK_E2E_DB=postgres://… .ci/e2e.sh   the same on an empty PostgreSQL database: two
#        server instances on one server database (issue #18); the OpenAPI check is left to the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${DRUGCHECK_BIN:-$(swift build --show-bin-path)/drugcheck}"
[ -x "$bin" ] || swift build --product drugcheck
work="$(mktemp -d)"
server_pid=""
second_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
    if [ -n "$second_pid" ] && kill -0 "$second_pid" 2>/dev/null; then kill "$second_pid"; wait "$second_pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e: FAIL: $*" >&2; [ -f "$work/server.log" ] && tail -20 "$work/server.log" >&2; exit 1; }

db="${DRUGCHECK_E2E_DB:-$work/e2e.sqlite}"
if [ -z "${DRUGCHECK_E2E_DB:-}" ]; then
    echo "e2e: validating Schemas/openapi.yaml"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet openapi-spec-validator
    "$work/venv/bin/openapi-spec-validator" Schemas/openapi.yaml || fail "Schemas/openapi.yaml is not a valid OpenAPI document"
else
    echo "e2e: on $db"
    "$bin" db migrate --db "$db" >/dev/null
fi
# Rejected uploads on PostgreSQL are kept here (SQLite keeps them beside its file).
export DRUGCHECK_QUARANTINE="$work/quarantine"
lab_token="$("$bin" tokens create --db "$db" --role lab --lab BE-DCA --quiet)"
ministry_token="$("$bin" tokens create --db "$db" --role ministry --quiet)"
subscriber_token="$("$bin" tokens create --db "$db" --role subscriber --quiet)"
reviewer_token="$("$bin" tokens create --db "$db" --role reviewer --quiet)"
admin_token="$("$bin" tokens create --db "$db" --role admin --quiet)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# serve PORT LOG: starts a server process on the database, sets $started once /healthz answers.
serve() {
    "$bin" serve --db "$db" --host 127.0.0.1 --port "$1" >"$work/$2" 2>&1 &
    started=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && break
        kill -0 "$started" 2>/dev/null || fail "the server on port $1 exited"
        sleep 0.2
    done
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null || fail "/healthz does not answer on port $1"
}
port="$(free_port)"
base="http://127.0.0.1:$port"
serve "$port" server.log
server_pid=$started
# A second server process on the same database, as a second instance behind a load balancer would be.
second_port="$(free_port)"
second="http://127.0.0.1:$second_port"
serve "$second_port" second.log
second_pid=$started

# request METHOD PATH TOKEN EXPECTED-STATUS [curl args...]: body in $work/body ($at: which server, default the first)
request() {
    local method="$1" path="$2" token="$3" expected="$4"
    shift 4
    local status
    status="$(curl -sS -o "$work/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" "$@" "${at:-$base}$path")"
    [ "$status" = "$expected" ] || fail "$method ${at:-$base}$path answered $status, expected $expected: $(head -c 500 "$work/body")"
    echo "e2e: $method ${at:-$base}$path -> $status"
}

# The second server reads (and keeps) the report and the feed before any data arrive.
at="$second" request GET /v1/reports/weekly/2026-W36 "$ministry_token" 200 -H "Accept: application/json"
grep -q '"class":"nitazene"' "$work/body" && grep -q '"positive":[1-9]' "$work/body" && fail "an empty database reports positives"
at="$second" request GET /v1/bulletins/feed.atom "$subscriber_token" 200 -D "$work/second-headers"
second_etag="$(grep -i '^etag:' "$work/second-headers" | cut -d' ' -f2- | tr -d '\r')"

request POST "/v1/imports?filename=be-dca-drugchecking.csv" "$lab_token" 201 \
    -H "Content-Type: text/csv" --data-binary @Imports/be-dca-drugchecking.csv
grep -q '"outcome":"imported"' "$work/body" || fail "the upload was not imported"
request POST "/v1/imports" "$lab_token" 200 --data-binary @Imports/be-dca-drugchecking.csv
request POST "/v1/imports" "$lab_token" 422 --data-binary @Imports/be-nicc-seizures.csv

# A national collation of several labs' rows: refused for a lab, imported for an admin.
printf 'lab,sample_id,sample_type,collected_on,substance,detected\nBE-DCA,C1,powder,2026-09-01,cocaine,true\nNL-DIMS,C1,powder,2026-09-02,heroin,true\n' >"$work/collation.csv"
request POST "/v1/imports?filename=collation.csv" "$lab_token" 422 --data-binary @"$work/collation.csv"
request POST "/v1/imports?filename=collation.csv" "$admin_token" 201 --data-binary @"$work/collation.csv"
grep -q '"samples":2' "$work/body" || fail "the collation did not import both labs' samples"

request GET /v1/reports/weekly/2026-W36 "$ministry_token" 200 -H "Accept: application/json"
grep -q '"week":"2026-W36"' "$work/body" || fail "the weekly report is not for 2026-W36"
grep -q '"class":"nitazene"' "$work/body" || fail "the weekly report has no nitazene cells"
request GET /v1/reports/weekly/2026-W36.csv "$ministry_token" 200
head -1 "$work/body" | grep -q '^week,class,sample_type,.*tested,positive,prevalence' || fail "the CSV report has no header"
request GET /v1/samples "$ministry_token" 403

request GET /v1/reports/weekly/2026-W36.html "$ministry_token" 200
grep -q '<svg' "$work/body" || fail "the HTML report has no chart"

# The upload ran the bulletin triggers: approve and publish the first draft, then read the feed.
request GET "/v1/bulletins?state=draft" "$reviewer_token" 200
bulletin="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bulletins"][0]["id"])' "$work/body")" \
    || fail "the upload triggered no draft bulletin"
request POST "/v1/bulletins/$bulletin/approve" "$reviewer_token" 200
request POST "/v1/bulletins/$bulletin/publish" "$reviewer_token" 200
request GET "/v1/bulletins/$bulletin.cap" "$subscriber_token" 200
grep -q '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">' "$work/body" || fail "the bulletin is not CAP 1.2"
request GET /v1/bulletins/feed.atom "$subscriber_token" 200 -D "$work/headers"
grep -q "/v1/bulletins/$bulletin.cap" "$work/body" || fail "the Atom feed has no entry for bulletin $bulletin"
etag="$(grep -i '^etag:' "$work/headers" | cut -d' ' -f2- | tr -d '\r')"
[ -n "$etag" ] || fail "the Atom feed has no ETag"
request GET /v1/bulletins/feed.atom "$subscriber_token" 304 -H "If-None-Match: $etag"

# The second server saw the first one's writes: the new report, and a new feed for its old ETag.
at="$second" request GET /v1/reports/weekly/2026-W36 "$ministry_token" 200 -H "Accept: application/json"
grep -q '"positive":[1-9]' "$work/body" || fail "the second server still serves the report from before the upload"
at="$second" request GET /v1/bulletins/feed.atom "$subscriber_token" 200 -H "If-None-Match: $second_etag"
grep -q "/v1/bulletins/$bulletin.cap" "$work/body" || fail "the second server's feed has no entry for bulletin $bulletin"

kill "$server_pid" "$second_pid"
wait "$server_pid" "$second_pid" || true
server_pid=""
second_pid=""
echo "e2e: OK"
