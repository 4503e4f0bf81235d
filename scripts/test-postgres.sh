#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server, then stop and delete the server.
#
#   scripts/test-postgres.sh COMMAND [ARGS...]
#
# The server listens on 127.0.0.1 only, on a free high port, with trust authentication
# for loopback connections; its data directory is a fresh temporary directory that is
# removed afterwards, whether the command passed, failed or was interrupted. The command
# runs with DATABASE_URL pointing at an empty database. Exits with the command's status,
# or 3 when the server could not be started.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
# (created by Debian's package) or, failing that, a system user `shuangliang-test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
    echo "usage: scripts/test-postgres.sh COMMAND [ARGS...]" >&2
    exit 2
fi

find_bindir() {
    local dir
    if command -v pg_config >/dev/null; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    fi
    # Debian keeps the server binaries out of PATH; take the newest installed version.
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    done
    dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql." >&2
    exit 3
fi

as_pg=()
pg_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then
        pg_user=postgres
    else
        pg_user=shuangliang-test
        if ! id "$pg_user" >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
        fi
    fi
    as_pg=(runuser -u "$pg_user" --)
fi

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/shuangliang-pg.XXXXXX")
chmod 700 "$tmp"
if [ "$(id -u)" = 0 ]; then
    chown "$pg_user" "$tmp"
fi
data="$tmp/data"
log="$tmp/server.log"
started=0
child=""

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    if [ "$started" = 1 ]; then
        "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

db_user=shuangliang
db_name=shuangliang
"${as_pg[@]}" "$bindir/initdb" -D "$data" -U "$db_user" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 || {
    cat "$tmp/initdb.log" >&2
    echo "initdb failed." >&2
    exit 3
}

# Loopback only; the socket lives in the private temporary directory.
cat >"$data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
# Durability is pointless for a server deleted minutes later; speed is not.
cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF

port=""
for _attempt in 1 2 3; do
    port=$(free_port)
    if "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start \
        >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" != 1 ]; then
    cat "$log" >&2 || true
    echo "PostgreSQL did not start." >&2
    exit 3
fi

"$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$db_user" "$db_name"
version=$("$bindir/postgres" --version)
echo "Throw-away PostgreSQL ($version) on 127.0.0.1:$port, data in $data"

export DATABASE_URL="postgres://$db_user@127.0.0.1:$port/$db_name"
# In the background, so that a signal to this script runs the cleanup at once instead of
# after the command ends; the cleanup passes the signal on to the command.
"$@" &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
