#!/usr/bin/env bash
# API fuzzing against the contract: starts the real `drugcheck serve` on a free loopback port over
# a fresh database seeded with the Imports/ examples, creates one token per role, and runs
# schemathesis (PyPI) on Schemas/openapi.yaml once per role, over the operations that role may
# use (`x-drugcheck-roles`), with every check: no 5xx, every status, content type and header
# documented, bodies matching their schemas, schema-valid requests accepted and invalid ones
# refused, undeclared methods answered 405 with `Allow`, authentication not ignored. It also
# checks what schemathesis does not probe: 405 with `Allow` and weak `If-None-Match` comparison.
# Settings and the seeded identifiers are in .ci/api-fuzz.toml. Exits non-zero on any failure,
# after schemathesis' summary of every run.
#
# Usage: .ci/api-fuzz.sh            CI form: 10 examples per operation and role (about a minute)
#        .ci/api-fuzz.sh --long     200 examples per operation and role
# Environment: DRUGCHECK_BIN (default .build/debug/drugcheck), API_FUZZ_EXAMPLES (examples per
# operation, overrides both forms), API_FUZZ_SEED (fixed by default, so CI runs repeat exactly),
# API_FUZZ_VENV (a virtualenv to reuse; schemathesis is installed into it when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

examples=10
if [ "${1:-}" = "--long" ]; then examples=200; shift; fi
[ $# -eq 0 ] || { sed -n '2,/^set /p' "$0" | sed '$d' >&2; exit 2; }
examples="${API_FUZZ_EXAMPLES:-$examples}"
seed="${API_FUZZ_SEED:-16}"
bin="${DRUGCHECK_BIN:-.build/debug/drugcheck}"
[ -x "$bin" ] || { echo "api-fuzz: no drugcheck binary at $bin (swift build, or set DRUGCHECK_BIN)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "api-fuzz: FAIL: $*" >&2; [ -f "$work/server.log" ] && tail -20 "$work/server.log" >&2; exit 1; }

venv="${API_FUZZ_VENV:-$work/venv}"
if [ ! -x "$venv/bin/st" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'schemathesis==4.32.5'
fi
echo "api-fuzz: $("$venv/bin/st" --version), $examples examples per operation, seed $seed"

# The seeded identifiers in .ci/api-fuzz.toml (samples BE-DCA/DCA-3600x, batches, bulletins, users 1-5)
# come from this import and these tokens, in this order.
db="$work/fuzz.sqlite"
"$bin" import Imports --db "$db" >"$work/import.log" 2>&1 || fail "seeding the database from Imports/: $(tail -5 "$work/import.log")"
roles=(lab ministry subscriber reviewer verifier admin)
declare -A token
for role in "${roles[@]}"; do
    lab=()
    [ "$role" = lab ] && lab=(--lab BE-DCA)
    token[$role]="$("$bin" tokens create --db "$db" --role "$role" "${lab[@]}" --quiet)"
done

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# Rate limiting off: schemathesis sends far more than any client, and 429 is documented.
"$bin" serve --db "$db" --host 127.0.0.1 --port "$port" --rate-limit 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
    sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null || fail "/healthz does not answer"

# A known path with a method it does not serve: 405 and Allow (RFC 9110 §15.5.6).
headers="$(curl -sS -o /dev/null -D - -X PUT -H "Authorization: Bearer ${token[admin]}" "$base/v1/admin/labs")"
grep -q '^HTTP/1.1 405' <<<"$headers" || fail "PUT /v1/admin/labs is not answered 405: $headers"
grep -qi '^allow: GET, HEAD, POST' <<<"$headers" || fail "the 405 for PUT /v1/admin/labs has no Allow: GET, HEAD, POST: $headers"
# If-None-Match compares weakly (RFC 9110 §13.1.2): the feed's tag marked weak still gets 304.
headers="$(curl -sS -o /dev/null -D - -H "Authorization: Bearer ${token[subscriber]}" "$base/v1/bulletins/feed.atom")"
etag="$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' <<<"$headers" | tr -d '\r')"
[ -n "$etag" ] || fail "the Atom feed has no ETag: $headers"
status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token[subscriber]}" -H "If-None-Match: W/$etag" "$base/v1/bulletins/feed.atom")"
[ "$status" = 304 ] || fail "If-None-Match: W/$etag answered $status, expected 304"
echo "api-fuzz: 405 with Allow and weak If-None-Match: OK"

# operations ROLE: a regex of the operationIds ROLE may use, and the public ones.
operations() {
    "$venv/bin/python" - "$1" <<'EOF'
import sys, yaml
spec = yaml.safe_load(open("Schemas/openapi.yaml"))
ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()
       if not op["x-drugcheck-roles"] or sys.argv[1] in op["x-drugcheck-roles"]]
print("^(" + "|".join(ids) + ")$")
EOF
}

# fuzz ROLE [st run options...]: one schemathesis run with ROLE's token.
failed=()
fuzz() {
    local role="$1"
    shift
    echo "api-fuzz: === role $role: $* ==="
    "$venv/bin/st" --config-file .ci/api-fuzz.toml run Schemas/openapi.yaml --url "$base" \
        -H "Authorization: Bearer ${token[$role]}" --max-examples "$examples" --seed "$seed" --no-color "$@" \
        || failed+=("$role")
}

for role in lab ministry subscriber reviewer verifier; do
    fuzz "$role" --include-operation-id-regex "$(operations "$role")"
done
# Revoking tokens would lock out the token of whichever role runs after it (ids 1-6 are the
# role tokens above), so the admin run leaves it out and it runs alone, last of all.
fuzz admin --include-operation-id-regex "$(operations admin)" --exclude-operation-id revokeToken
fuzz admin --include-operation-id revokeToken

kill -0 "$server_pid" 2>/dev/null || fail "the server died during the run"
[ ${#failed[@]} -eq 0 ] || fail "schemathesis found failures with the tokens of: ${failed[*]}"
echo "api-fuzz: OK"
