#!/usr/bin/env bash
# A throwaway PostgreSQL server on a free loopback port, for the test suite.
#   scripts/pg.sh start DIR   -> initdb + start in DIR, prints "PORT"
#   scripts/pg.sh stop DIR    -> stops it and removes DIR
#   scripts/pg.sh server-stop DIR / server-start DIR -> stop / start the same server again
#     (fault tests: the server goes away in the middle of work and comes back)
#   scripts/pg.sh server-crash DIR immediate|kill -> crash it: pg_ctl's immediate shutdown, or
#     SIGKILL to the postmaster and all its processes (returns once they are gone, the port
#     free); server-start then runs crash recovery
#   scripts/pg.sh standby PRIMARY_DIR DIR -> a streaming standby of the server started in
#     PRIMARY_DIR (pg_basebackup -R over loopback as rollup), started in DIR on a free port;
#     prints "PORT". Stop it with `pg.sh stop DIR`.
#   scripts/pg.sh pgbouncer DIR MODE SERVER_PORT -> a PgBouncer in pool_mode MODE (session,
#     transaction or statement) in front of 127.0.0.1:SERVER_PORT, on a free loopback port and a
#     Unix socket in DIR; clients log in as rollup with scram-sha-256 and the generated password
#     in DIR/password (DIR/userlist.txt holds it for PgBouncer); prints "PORT".
#   scripts/pg.sh pgbouncer-stop DIR -> stops that PgBouncer (DIR/pgbouncer.pid) and removes DIR
# PG_EXTRA_OPTS adds postgres options at start (e.g. "-c ssl=on -c ssl_cert_file=...").
# PG_DURABLE=1 starts it with production durability (fsync, synchronous_commit and
# full_page_writes on) instead of the fast, crash-unsafe defaults of a test server.
# As root the server runs as the `postgres` system user (initdb refuses root).
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (package postgresql)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

free_port() {
    # Below the kernel's ephemeral range (32768+), so a client's source port cannot take it.
    # The console's demo picks its port by the same rule in C++ (src/jobs/loopbackport.cpp); this
    # copy stays because the test scripts start their servers without the console binary.
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 12000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

cmd=${1:-}; dir=${2:-}
[ -n "$dir" ] || { echo "usage: pg.sh start|stop DIR" >&2; exit 2; }
case "$cmd" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    "${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U rollup --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    started=0
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        [ "${PG_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
        opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir $durability -c max_connections=200 ${PG_EXTRA_OPTS:-}"
        echo "$opts" >"$dir/options"
        if "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
            started=1
            break
        fi
        # Another process took the port between the check and the bind: try another one.
        grep -q "Address already in use" "$dir/server.log" 2>/dev/null || break
    done
    [ "$started" = 1 ] || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "$port"
    ;;
server-stop)
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
server-start)
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    ;;
server-crash)
    case "${3:-}" in
    immediate)
        "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null
        ;;
    kill)
        # The postmaster first (so it forks nothing more), then every process that still runs in
        # the data directory: a backend forked just before the postmaster died is no longer its
        # child, but it still holds the shared memory that makes the next start refuse.
        data=$(readlink -f "$dir/data")
        kill -KILL "$(head -n 1 "$dir/data/postmaster.pid")" 2>/dev/null || true
        for _ in $(seq 1 600); do
            alive=0
            for p in /proc/[0-9]*; do
                [ "$(readlink "$p/cwd" 2>/dev/null)" = "$data" ] || continue
                alive=1
                kill -KILL "${p#/proc/}" 2>/dev/null || true
            done
            [ "$alive" = 0 ] && break
            sleep 0.1
        done
        [ "$alive" = 0 ] || { echo "pg.sh: server processes still alive after SIGKILL" >&2; exit 1; }
        # The lock files name the dead postmaster; where nothing reaps it (a container's init),
        # its zombie would make the next start refuse ("another server might be running").
        rm -f "$dir/data/postmaster.pid" "$dir"/.s.PGSQL.*.lock
        ;;
    *) echo "usage: pg.sh server-crash DIR immediate|kill" >&2; exit 2 ;;
    esac
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
standby)
    primary=$dir; dir=${3:-}
    [ -n "$dir" ] && [ -f "$primary/port" ] || { echo "usage: pg.sh standby PRIMARY_DIR DIR (PRIMARY_DIR from pg.sh start)" >&2; exit 2; }
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    "${as_owner[@]}" "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$(cat "$primary/port")" -U rollup -D "$dir/data" -R -X stream \
        -c fast >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
    started=0
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c max_connections=200 ${PG_EXTRA_OPTS:-}"
        echo "$opts" >"$dir/options"
        if "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
            started=1
            break
        fi
        grep -q "Address already in use" "$dir/server.log" 2>/dev/null || break
    done
    [ "$started" = 1 ] || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "$port"
    ;;
pgbouncer)
    mode=${3:-}; server_port=${4:-}
    case "$mode" in session|transaction|statement) ;; *) echo "usage: pg.sh pgbouncer DIR session|transaction|statement SERVER_PORT" >&2; exit 2 ;; esac
    [ -n "$server_port" ] || { echo "usage: pg.sh pgbouncer DIR MODE SERVER_PORT" >&2; exit 2; }
    bouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    [ -x "$bouncer" ] || { echo "pg.sh: pgbouncer not found (package pgbouncer)" >&2; exit 1; }
    mkdir -p "$dir"
    chmod 755 "$dir"
    password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
    (umask 077; printf '%s' "$password" >"$dir/password"; printf '"rollup" "%s"\n' "$password" >"$dir/userlist.txt")
    started=0
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        printf '%s\n' "[databases]" "* = host=127.0.0.1 port=$server_port" "[pgbouncer]" "listen_addr = 127.0.0.1" \
            "listen_port = $port" "unix_socket_dir = $dir" "auth_type = scram-sha-256" "auth_file = $dir/userlist.txt" \
            "pool_mode = $mode" "default_pool_size = 40" "max_client_conn = 400" "logfile = $dir/pgbouncer.log" \
            "pidfile = $dir/pgbouncer.pid" >"$dir/pgbouncer.ini"
        rm -f "$dir/pgbouncer.pid"
        : >"$dir/pgbouncer.log"
        [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
        if "${as_owner[@]}" "$bouncer" -d -q "$dir/pgbouncer.ini" 2>>"$dir/start.log"; then
            # PgBouncer keeps running when the TCP port is taken (it still listens on the Unix
            # socket): its log says which happened.
            for _ in $(seq 1 100); do
                grep -q "listening on 127.0.0.1:$port" "$dir/pgbouncer.log" 2>/dev/null && { started=1; break; }
                grep -q "cannot listen on 127.0.0.1:$port" "$dir/pgbouncer.log" 2>/dev/null && break
                sleep 0.1
            done
            [ "$started" = 1 ] && break
        fi
        for _ in $(seq 1 50); do [ -f "$dir/pgbouncer.pid" ] && break; sleep 0.1; done
        [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null
        for _ in $(seq 1 50); do [ -f "$dir/pgbouncer.pid" ] || break; sleep 0.1; done
        grep -q "cannot listen on 127.0.0.1:$port" "$dir/pgbouncer.log" 2>/dev/null || break
    done
    [ "$started" = 1 ] || { cat "$dir/start.log" "$dir/pgbouncer.log" >&2 2>/dev/null; exit 1; }
    echo "$port" >"$dir/port"
    echo "$port"
    ;;
pgbouncer-stop)
    if [ -f "$dir/pgbouncer.pid" ]; then
        pid=$(cat "$dir/pgbouncer.pid")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*) echo "usage: pg.sh start|stop|server-stop|server-start|server-crash|standby|pgbouncer|pgbouncer-stop DIR" >&2; exit 2 ;;
esac
