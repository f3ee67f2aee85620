#!/usr/bin/env bash
# Benchmarks: builds the program (Release, warnings as errors), starts a PostgreSQL server, runs
# the program with the given arguments, stops the server. Exits with the program's status.
#
#   scripts/bench.sh [ARGS]            tests/bench/bench_backfill.cpp (two accounts; e.g.
#                                      `--events 200000`) on a throwaway server
#   scripts/bench.sh --scale [ARGS]    tests/bench/bench_scale.cpp (a fleet of installation size;
#                                      `--accounts N --events N --only LIST --regenerate`)
#       --keep-database DIR            (with --scale) the server's data lives in DIR and stays
#                                      there: a later run with the same DIR starts that server
#                                      again and reuses its database when it was generated with
#                                      the same parameters. Remove DIR to free the disk.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_BENCH_BUILD_DIR:-$root/build/bench}

program=bench_backfill
keep=""
args=("$@")
if [ "${1:-}" = --scale ]; then
    program=bench_scale
    args=()
    shift
    while [ $# -gt 0 ]; do
        case "$1" in
        --keep-database) [ $# -ge 2 ] || { echo "bench.sh: --keep-database needs a directory" >&2; exit 2; }
                         keep=$2; shift 2 ;;
        --keep-database=*) keep=${1#*=}; shift ;;
        *) args+=("$1"); shift ;;
        esac
    done
fi

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROLLUP_WERROR=ON >/dev/null
cmake --build "$build" --target "$program" -j "$(nproc)"

# Production durability (fsync, synchronous_commit, full_page_writes on), unlike the test
# server: commit costs are part of what the per-day pattern pays. BENCH_FAST=1 turns them off.
if [ "${BENCH_FAST:-0}" != 1 ]; then
    export PG_EXTRA_OPTS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on ${PG_EXTRA_OPTS:-}"
fi
if [ -n "$keep" ]; then
    mkdir -p "$keep"
    pgdir=$(cd "$keep" && pwd)
    if [ -f "$pgdir/data/PG_VERSION" ]; then
        # The server of an earlier run: same options (port, durability) as when it was created.
        bash "$root/scripts/pg.sh" server-start "$pgdir"
        port=$(cat "$pgdir/port")
    else
        port=$(bash "$root/scripts/pg.sh" start "$pgdir")
    fi
    trap 'bash "$root/scripts/pg.sh" server-stop "$pgdir"' EXIT
    trap 'exit 130' INT TERM
    echo "bench PostgreSQL on 127.0.0.1:$port, data kept in $pgdir" >&2
else
    pgdir=$(mktemp -d /tmp/rollup-bench-pg.XXXXXX)
    trap 'bash "$root/scripts/pg.sh" stop "$pgdir"' EXIT
    trap 'exit 130' INT TERM
    port=$(bash "$root/scripts/pg.sh" start "$pgdir")
    echo "bench PostgreSQL on 127.0.0.1:$port" >&2
fi

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=rollup PGDATABASE=postgres
unset DATABASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USERNAME POSTGRES_PASSWORD POSTGRES_DATABASE
started=$(date +%s)
status=0
"$build/tests/bench/$program" "${args[@]}" || status=$?
echo "$program: exit $status after $(( $(date +%s) - started )) s" >&2
exit "$status"
