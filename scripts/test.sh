#!/usr/bin/env bash
# README command (b): install what is missing, build, start a throwaway PostgreSQL, run the
# whole suite with ctest, stop the server. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_TEST_BUILD_DIR:-$root/build/test}

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLUP_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"

# Everything the run creates lives under one directory: the server's, and (through TMPDIR)
# the temporary directories of tests that start servers of their own. On exit every server
# still running there is stopped, even if a test crashed before its cleanup.
work=$(mktemp -d /tmp/rollup-test.XXXXXX)
chmod 755 "$work"            # as root, the servers run as `postgres` and must reach their dirs
mkdir -m 1777 "$work/tmp"
pgdir=$work/pg
cleanup() {
    for pid in "$work"/*/data/postmaster.pid "$work"/tmp/*/*/data/postmaster.pid "$work"/tmp/*/data/postmaster.pid; do
        [ -f "$pid" ] && bash "$root/scripts/pg.sh" stop "$(dirname "$(dirname "$pid")")"
    done
    for pid in "$work"/tmp/*/*/pgbouncer.pid "$work"/tmp/*/pgbouncer.pid; do
        [ -f "$pid" ] && bash "$root/scripts/pg.sh" pgbouncer-stop "$(dirname "$pid")"
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export TMPDIR=$work/tmp
# The console's own state (fleet journals, health board, history) stays inside the run too.
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config
port=$(bash "$root/scripts/pg.sh" start "$pgdir")
echo "test PostgreSQL on 127.0.0.1:$port" >&2

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=rollup PGDATABASE=postgres
unset DATABASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USERNAME POSTGRES_PASSWORD POSTGRES_DATABASE
export ROLLUP_TEST_PGDIR=$pgdir
cd "$build"
ctest --output-on-failure --timeout 1500 "$@"
