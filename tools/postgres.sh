#!/usr/bin/env bash
# Local PostgreSQL for iphub's alerts tests, from Debian's packages; no Docker.
#
#   tools/postgres.sh start    install (apt-get, as root) if missing, initdb once, start, create db
#   tools/postgres.sh stop     stop it and wait until it is gone
#   tools/postgres.sh url      print the URL for IPHUB_TEST_PG_URL
#
# The cluster lives in IPHUB_PG_DIR (default /var/tmp/iphub-postgres-$PORT), listens on
# 127.0.0.1:$IPHUB_PG_PORT (default 5433) with trust authentication for local connections only,
# and runs as the `postgres` user when invoked as root (PostgreSQL refuses root).
set -euo pipefail

PORT=${IPHUB_PG_PORT:-5433}
DIR=${IPHUB_PG_DIR:-/var/tmp/iphub-postgres-$PORT}
DB=iphub_test
RUN_AS=${IPHUB_PG_USER:-postgres}

bindir() {
    local pg_config
    pg_config=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z $pg_config ]]; then
        [[ $EUID -eq 0 ]] || { echo "postgres.sh: PostgreSQL not installed (apt-get install postgresql)" >&2; exit 2; }
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
        pg_config=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    echo "$pg_config"
}

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi; }

case ${1:-} in
start)
    BIN=$(bindir)
    if [[ ! -f $DIR/PG_VERSION ]]; then
        mkdir -p "$DIR"
        [[ $EUID -eq 0 ]] && chown "$RUN_AS" "$DIR"
        as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
        as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start \
            -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" >/dev/null
    fi
    as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 ||
        as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    echo "postgres.sh: PostgreSQL on 127.0.0.1:$PORT ($DIR)"
    ;;
stop)
    BIN=$(bindir)
    if [[ -f $DIR/PG_VERSION ]]; then
        as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
url)
    echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
    ;;
*)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
