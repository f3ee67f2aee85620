#!/usr/bin/env bash
# Verify's time on the three ways to reach a production database: directly, through PgBouncer
# (pool_mode = session) and with its reads on a streaming replica (--replica-url). Builds the
# console (Release), starts a primary (production durability), a standby made from it with
# pg_basebackup -R and a PgBouncer in front of the primary, all on free loopback ports; seeds a
# demo-size database (default 600,000 events in 9 accounts over two years), backfills it, then
# times `verify --account 1` and `verify --all` on each route in interleaved rounds and prints
# the medians. Stops everything it started, also on failure or Ctrl-C.
#
#   scripts/bench-routes.sh [--events N] [--repeat N]
# ROLLUP_CONSOLE_BIN=PATH times that binary instead of building one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_BENCH_BUILD_DIR:-$root/build/bench}
events=600000
repeat=5
while [ $# -gt 0 ]; do
    case "$1" in
    --events) events=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "bench-routes.sh: unknown argument '$1' (--events N, --repeat N)" >&2; exit 2 ;;
    esac
done
[[ "$events" =~ ^[0-9]+$ && "$repeat" =~ ^[0-9]+$ && "$repeat" -ge 1 ]] || { echo "bench-routes.sh: --events and --repeat take numbers" >&2; exit 2; }

bash "$root/scripts/install-deps.sh"
console=${ROLLUP_CONSOLE_BIN:-}
if [ -z "$console" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROLLUP_WERROR=ON >/dev/null
    cmake --build "$build" --target rollup-console -j "$(nproc)"
    console=$build/src/rollup-console
fi

work=$(mktemp -d /tmp/rollup-routes.XXXXXX)
chmod 755 "$work"
export XDG_STATE_HOME=$work/state # fleet journals and the health board stay with the run
cleanup() {
    bash "$root/scripts/pg.sh" pgbouncer-stop "$work/pgbouncer" 2>/dev/null || true
    bash "$root/scripts/pg.sh" stop "$work/standby" 2>/dev/null || true
    bash "$root/scripts/pg.sh" stop "$work/primary" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(PG_EXTRA_OPTS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" bash "$root/scripts/pg.sh" start "$work/primary")
psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U rollup)
"${psql[@]}" -d postgres -c "CREATE DATABASE routes"
"${psql[@]}" -d routes -f "$root/resources/sql/schema.sql" >/dev/null
"${psql[@]}" -d routes <<SQL
INSERT INTO accounts (id, name, created_at, updated_at, settings)
SELECT a, 'Account ' || a, now(), now(),
       jsonb_build_object('reporting_timezone', (ARRAY['America/New_York','Europe/Berlin','Asia/Kolkata','America/Sao_Paulo',
                          'Australia/Sydney','UTC','America/Los_Angeles','Asia/Tokyo','Africa/Cairo'])[a])
FROM generate_series(1, 9) a;
-- Account 1 gets a third of the events, the others share the rest.
INSERT INTO reporting_events (name, value, value_in_business_hours, account_id, user_id, inbox_id, conversation_id, created_at, updated_at)
SELECT (ARRAY['conversation_resolved','first_response','reply_time','conversation_bot_resolved','conversation_bot_handoff','conversation_opened'])[1 + i % 6],
       (i % 977) * 1.5, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 500) * 0.25 END,
       CASE WHEN i % 3 = 0 THEN 1 ELSE 2 + i % 8 END, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 40 END, i % 12, i % 20000,
       timestamp '2024-03-01 00:00:00' + (i::bigint * 7919 % (730 * 86400)) * interval '1 second', now()
FROM generate_series(1, $events) i;
ANALYZE;
SQL
export ROLLUP_CONSOLE_NOW=2026-03-02T12:00:00Z
direct=postgres://rollup@127.0.0.1:$port/routes
"$console" backfill --all --yes --database-url "$direct" >/dev/null 2>"$work/backfill.log" || { cat "$work/backfill.log" >&2; exit 1; }

sport=$(bash "$root/scripts/pg.sh" standby "$work/primary" "$work/standby")
bport=$(bash "$root/scripts/pg.sh" pgbouncer "$work/pgbouncer" session "$port")
bouncer=postgres://rollup:$(cat "$work/pgbouncer/password")@127.0.0.1:$bport/routes
for _ in $(seq 1 600); do
    lsn=$("${psql[@]}" -d routes -Atc "SELECT pg_current_wal_insert_lsn()")
    caught=$(psql -X -h 127.0.0.1 -p "$sport" -U rollup -d routes -Atc "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")
    [ "$caught" = t ] && break
    sleep 0.1
done
[ "$caught" = t ] || { echo "bench-routes.sh: the standby did not catch up" >&2; exit 1; }

declare -A args=(
    [direct]="--database-url $direct"
    [pgbouncer]="--database-url $bouncer"
    [replica]="--database-url $direct --replica-url postgres://127.0.0.1:$sport"
)
routes=(direct pgbouncer replica)
declare -A one all engine
echo "events: $events in 9 accounts (account 1: a third), $(date -u +%Y-%m-%d), $(nproc) cores; $repeat interleaved rounds" >&2
for round in $(seq 1 "$repeat"); do
    for r in "${routes[@]}"; do
        # shellcheck disable=SC2086
        t0=$(date +%s.%N); "$console" verify --account 1 --format csv ${args[$r]} >/dev/null 2>"$work/err"; t1=$(date +%s.%N)
        one[$r]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') "
        engine[$r]+="$(grep -o '[0-9.]* s$' "$work/err" | tail -n 1 | cut -d' ' -f1) "
        # shellcheck disable=SC2086
        t0=$(date +%s.%N); "$console" verify --all --format csv ${args[$r]} >/dev/null 2>&1; t1=$(date +%s.%N)
        all[$r]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') "
    done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }
printf '%-10s %24s %22s %22s\n' route "verify --account 1 (s)" "of which comparing (s)" "verify --all (s)"
for r in "${routes[@]}"; do
    printf '%-10s %24s %22s %22s\n' "$r" "$(echo "${one[$r]}" | median)" "$(echo "${engine[$r]}" | median)" "$(echo "${all[$r]}" | median)"
done
