#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the tests and print
# its SQLAlchemy URL. Uses Debian's postgresql binaries; the cluster lives
# under /tmp and is owned by the postgres system user (initdb refuses root).
set -euo pipefail
PORT=${TRYON_PG_PORT:-54329}
DATA=${TRYON_PG_DATA:-/tmp/tryon-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $BIN ]]; then
    echo "start-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
fi
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if ! as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    if [[ ! -f $DATA/PG_VERSION ]]; then
        mkdir -p "$DATA"
        [[ $(id -u) -eq 0 ]] && chown postgres "$DATA"
        as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust >/dev/null
    fi
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-h 127.0.0.1 -p $PORT -k /tmp" start >/dev/null
fi
as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -tc \
    "SELECT 1 FROM pg_database WHERE datname = 'tryon_test'" | grep -q 1 ||
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres tryon_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/tryon_test"
