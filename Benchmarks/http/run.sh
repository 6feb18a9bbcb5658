#!/usr/bin/env bash
# HTTP benchmark (issue 7): wrk on loopback against `drugcheck serve` for the weekly report (JSON)
# and the Atom feed, beside nginx serving the very same bytes as static files (the ceiling).
#
#   Benchmarks/http/run.sh [FINDINGS]        # default 1,000,000 generated findings
#
# Installs wrk and nginx from Debian when missing, builds the release binary, generates the
# database once (kept in $WORK between runs), publishes bulletins for the feed, then prints
# requests/s and latency percentiles for the four targets. Environment: WORK (default
# /tmp/drugcheck-http-bench), SCRATCH (SwiftPM scratch path, default .build), DURATION (wrk
# seconds, default 20), CONNECTIONS (default 32), THREADS (default 2), BUILD (0: use the binary
# already in SCRATCH, e.g. while other work in the tree does not compile), ROUNDS (default 1:
# repeats the four runs, alternating server and nginx, and ends with the median share of nginx
# per target; use 5 or more on a shared or virtual machine, where single runs vary by 2x).
set -euo pipefail
cd "$(dirname "$0")/../.."
findings="${1:-1000000}"
work="${WORK:-/tmp/drugcheck-http-bench}"
scratch="${SCRATCH:-.build}"
duration="${DURATION:-20}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-1}"
week=2026-W47
mkdir -p "$work"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

[ "${BUILD:-1}" = 0 ] || swift build -c release --scratch-path "$scratch" --product drugcheck
bin="$scratch/release/drugcheck"
db="$work/bench.sqlite"
if [ ! -f "$db" ]; then
    "$bin" bench report --db "$db" --findings "$findings" --week "$week" --runs 1
    "$bin" import --db "$db" Imports/be-dca-drugchecking.csv Imports/be-nicc-seizures.csv >/dev/null
    "$bin" bulletins scan --db "$db" --user bench-scan
    for id in $("$bin" bulletins list --db "$db" --state draft | cut -f1 | head -20); do
        "$bin" bulletins approve "$id" --db "$db" --user bench-reviewer >/dev/null
        "$bin" bulletins publish "$id" --db "$db" --user bench-reviewer >/dev/null
    done
fi
ministry="$("$bin" tokens create --db "$db" --role ministry --quiet)"
subscriber="$("$bin" tokens create --db "$db" --role subscriber --quiet)"

port=18080; static_port=18081
"$bin" serve --db "$db" --port "$port" --rate-limit 0 >"$work/server.log" 2>&1 &
server=$!
nginx_conf="$work/nginx.conf"
cleanup() {
    kill "$server" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

mkdir -p "$work/static"
curl -fsS -H "Authorization: Bearer $ministry" -o "$work/static/report.json" "http://127.0.0.1:$port/v1/reports/weekly/$week"
curl -fsS -H "Authorization: Bearer $subscriber" -o "$work/static/feed.atom" "http://127.0.0.1:$port/v1/bulletins/feed.atom"
cat >"$nginx_conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$static_port;
        root $work/static;
        location / { etag on; }
    }
}
CONF
"$nginx_bin" -c "$nginx_conf" -p "$work"
sleep 0.5

echo "database: $findings findings requested ($(du -h "$db" | cut -f1)); report JSON $(wc -c <"$work/static/report.json") B," \
     "feed $(wc -c <"$work/static/feed.atom") B with $(grep -c '<entry>' "$work/static/feed.atom") entries"
echo "wrk -t$threads -c$connections -d${duration}s --latency; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
    local label="$1" url="$2" token="$3"
    local out
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$url")"
    local rps p50 p99 non2xx
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
rps() { cut -d'|' -f3 <<<"$1"; }
echo "| target | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
shares="$work/shares.txt"
: >"$shares"
for round in $(seq 1 "$rounds"); do
    report="$(run "drugcheck weekly report JSON" "http://127.0.0.1:$port/v1/reports/weekly/$week" "$ministry")"
    report_nginx="$(run "nginx, same bytes" "http://127.0.0.1:$static_port/report.json" "$ministry")"
    feed="$(run "drugcheck Atom feed" "http://127.0.0.1:$port/v1/bulletins/feed.atom" "$subscriber")"
    feed_nginx="$(run "nginx, same bytes" "http://127.0.0.1:$static_port/feed.atom" "$subscriber")"
    printf '%s\n' "$report" "$report_nginx" "$feed" "$feed_nginx"
    echo "report $(rps "$report") $(rps "$report_nginx")" >>"$shares"
    echo "feed $(rps "$feed") $(rps "$feed_nginx")" >>"$shares"
done
if [ "$rounds" -gt 1 ]; then
    for target in report feed; do
        awk -v t="$target" '$1 == t { print $2 / $3 }' "$shares" | sort -g |
            awk -v t="$target" '{ v[NR] = $1 } END { printf "median share of nginx, %s: %.0f %% (of %d rounds; min %.0f %%, max %.0f %%)\n", t, 100 * v[int((NR + 1) / 2)], NR, 100 * v[1], 100 * v[NR] }'
    done
fi
