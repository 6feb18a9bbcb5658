#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (CI and developers), on a free loopback port.
#
#   eval "$(bash .ci/postgres.sh start)"           # sets DRUGCHECK_TEST_POSTGRES, DRUGCHECK_TEST_POSTGRES_CA and DRUGCHECK_PG_DIR
#   bash .ci/postgres.sh stop "$DRUGCHECK_PG_DIR"   # stops the server, removes its folder (idempotent)
#
# start installs Debian's postgresql package if it is missing, initdb's a trust-auth cluster (user
# drugcheck, database drugcheck) in a fresh mktemp -d folder and starts it with the newest
# /usr/lib/postgresql/*/bin, not the Debian cluster service. As root, the server runs as the postgres
# user. The server offers TLS with a self-signed certificate for the name localhost made at
# start (DRUGCHECK_TEST_POSTGRES_CA names it, for sslrootcert). stdout carries only the export
# lines; diagnostics go to stderr. On failure the server log is printed to stderr, the folder is
# removed and the exit status is non-zero.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
# Run a server-side command (initdb, pg_ctl) as the postgres user when we are root; cd to the data
# folder first so the postgres user never inherits an unreadable working directory.
as_pg() { if [ "$(id -u)" = 0 ]; then (cd "$dir" && runuser -u postgres -- "$@"); else "$@"; fi; }

stop() {
  dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  case "$(basename "$dir")" in drugcheck-pg.*) ;; *) echo "postgres.sh: refusing to remove $dir" >&2; return 1 ;; esac
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && [ -f "$dir/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

fail() {
  echo "postgres.sh: $*" >&2
  if [ -f "$dir/log" ]; then echo "--- $dir/log ---" >&2; cat "$dir/log" >&2; fi
  stop "$dir"
  exit 1
}

start() {
  if ! dpkg -s postgresql >/dev/null 2>&1 || ! command -v openssl >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql openssl; } >&2
  fi
  local bin port attempt
  bin=$(pg_bin)
  [ -n "$bin" ] || { echo "postgres.sh: no /usr/lib/postgresql/*/bin" >&2; exit 1; }
  dir=$(mktemp -d -t drugcheck-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_pg "$bin/initdb" -D "$dir" --auth=trust --username=drugcheck --encoding=UTF8 --locale=C --no-sync >&2 \
    || fail "initdb failed"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost" -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1 \
    || fail "openssl could not make the test server's certificate"
  chmod 600 "$dir/server.key"; chmod 644 "$dir/server.crt"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/server.key" "$dir/server.crt"
  # The free port is picked before the server binds it; retry if another process takes it meanwhile.
  for attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/pg_ctl" -w -D "$dir" -l "$dir/log" -o "-c listen_addresses=127.0.0.1 -c port=$port \
-c unix_socket_directories=$dir -c fsync=off -c max_connections=100 \
-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" start >&2 && break
    [ "$attempt" = 3 ] && fail "pg_ctl start failed"
    echo "postgres.sh: start on port $port failed, retrying" >&2
  done
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U drugcheck drugcheck >&2 || fail "createdb failed"
  echo "postgres.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
  printf 'export DRUGCHECK_TEST_POSTGRES=%q\n' "postgres://drugcheck@127.0.0.1:$port/drugcheck"
  printf 'export DRUGCHECK_TEST_POSTGRES_CA=%q\n' "$dir/server.crt"
  printf 'export DRUGCHECK_PG_DIR=%q\n' "$dir"
}

case "${1:-}" in
  start) dir=; start ;;
  stop) stop "${2:-${DRUGCHECK_PG_DIR:-}}" ;;
  *) echo "usage: eval \"\$(bash $0 start)\"; bash $0 stop \"\$DRUGCHECK_PG_DIR\"" >&2; exit 2 ;;
esac
