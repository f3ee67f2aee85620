#!/usr/bin/env bash
# Backfill benchmark (tests/bench/bench_backfill.cpp): builds the program (Release, warnings
# as errors), starts a throwaway PostgreSQL, runs it with the given arguments (e.g.
# `--events 200000`), stops the server. Exits with the program's status.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_BENCH_BUILD_DIR:-$root/build/bench}

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROLLUP_WERROR=ON >/dev/null
cmake --build "$build" --target bench_backfill -j "$(nproc)"

pgdir=$(mktemp -d /tmp/rollup-bench-pg.XXXXXX)
trap 'bash "$root/scripts/pg.sh" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
# Production durability (fsync, synchronous_commit, full_page_writes on), unlike the test
# server: commit costs are part of what the per-day pattern pays. BENCH_FAST=1 turns them off.
if [ "${BENCH_FAST:-0}" != 1 ]; then
    export PG_EXTRA_OPTS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on ${PG_EXTRA_OPTS:-}"
fi
port=$(bash "$root/scripts/pg.sh" start "$pgdir")
echo "bench PostgreSQL on 127.0.0.1:$port" >&2

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=rollup PGDATABASE=postgres
unset DATABASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USERNAME POSTGRES_PASSWORD POSTGRES_DATABASE
started=$(date +%s)
status=0
"$build/tests/bench/bench_backfill" "$@" || status=$?
echo "bench_backfill: exit $status after $(( $(date +%s) - started )) s" >&2
exit "$status"
