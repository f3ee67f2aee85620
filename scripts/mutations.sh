#!/usr/bin/env bash
# Proof by breaking: applies each deliberate break in tests/mutations/*.patch to a scratch copy of
# the repository, builds, runs the tests the patch names and reports whether they caught it.
#
#   bash scripts/mutations.sh [-k PATTERN] [-d DIR] [-b]
#     -k PATTERN  only the patches whose file name or "# row:" line matches PATTERN (grep -E, any case)
#     -d DIR      use DIR as the scratch directory and keep it (a later run with the same DIR reuses
#                 the build there, so only what changed is rebuilt); default: a temporary directory,
#                 removed at the end
#     -b          baseline: run each patch's tests once without the patch first; a patch whose tests
#                 fail unbroken is reported as "baseline failed" (and not counted as caught)
#     -c          check only, nothing built: every patch applies to the work tree and names in
#                 "# tests:" test programs of tests/ (exit 1 otherwise; 77 without git); the suite
#                 runs this, so a change to the code that a patch no longer fits is seen at once
#
# The copy is the work tree's files known to git (tracked, or new and not ignored), without build
# directories. It is configured and built once (RelWithDebInfo, -Werror, ccache when installed),
# then each patch is applied, rollup-console and the named test programs are rebuilt
# incrementally, the tests run, and the patch is reverted. A throwaway PostgreSQL
# (scripts/pg.sh) serves the database tests, as in scripts/test.sh; it is stopped on exit.
#
# A patch file starts with two header lines, then a unified diff against the repository root:
#   # row: <the guarantee, as README.md's Guarantees table names it>
#   # tests: tst_a tst_b:function1,function2
# Each item of "# tests:" is a test program (run through ctest) or a program with the Qt Test
# functions to run (the program is started directly, with the environment ctest gives it).
# A patch is "caught" when at least one of its tests fails; "missed" when all pass; a patch that
# does not apply or does not build is a bad patch and counts as missed. The last line reads
# "N caught, M missed". Exit status: 0 when nothing was missed, 1 otherwise, 2 on a setup error.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

pattern=''
keep=''
baseline=0
check=0
while getopts 'k:d:bch' opt; do
    case "$opt" in
    k) pattern=$OPTARG ;;
    d) keep=$OPTARG ;;
    b) baseline=1 ;;
    c) check=1 ;;
    *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done

# The items of a patch's "# tests:" line, blank when it has none.
tests_of() { grep -m1 '^# tests:' "$1" | sed 's/^# tests: *//' || true; }

patches=()
for p in "$root"/tests/mutations/*.patch; do
    [ -f "$p" ] || continue
    if [ -n "$pattern" ]; then
        { basename "$p"; grep -m1 '^# row:' "$p" || true; } | grep -qiE -- "$pattern" || continue
    fi
    patches+=("$p")
done
[ "${#patches[@]}" -gt 0 ] || { echo "mutations.sh: no patch in tests/mutations matches '${pattern}'" >&2; exit 2; }

if [ "$check" = 1 ]; then
    command -v git >/dev/null || { echo "mutations.sh: git not found, patches not checked"; exit 77; }
    bad=0
    for p in "${patches[@]}"; do
        id=$(basename "$p" .patch)
        if ! (cd "$root" && git apply --check "$p" 2>/dev/null); then
            echo "$id: does not apply to the work tree"
            bad=$((bad + 1))
            continue
        fi
        read -r -a items <<<"$(tests_of "$p")"
        [ "${#items[@]}" -gt 0 ] || { echo "$id: no '# tests:' line"; bad=$((bad + 1)); continue; }
        for item in "${items[@]}"; do
            program=${item%%:*}
            [ -f "$root/tests/$program.cpp" ] || [ -f "$root/tests/package/$program.sh" ] \
                || { echo "$id: names $program, which is not a test of tests/"; bad=$((bad + 1)); }
        done
    done
    echo "${#patches[@]} patches checked, $bad problems"
    [ "$bad" = 0 ]
    exit
fi

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    scratch=$(cd "$keep" && pwd)
else
    scratch=$(mktemp -d /tmp/rollup-mutations.XXXXXX)
fi
src=$scratch/src
build=$src/build/dev
work=$scratch/run
logs=$scratch/logs

cleanup() {
    for pid in "$work"/*/data/postmaster.pid "$work"/tmp/*/*/data/postmaster.pid "$work"/tmp/*/data/postmaster.pid; do
        [ -f "$pid" ] && bash "$root/scripts/pg.sh" stop "$(dirname "$(dirname "$pid")")"
    done
    for pid in "$work"/tmp/*/*/pgbouncer.pid "$work"/tmp/*/pgbouncer.pid; do
        [ -f "$pid" ] && bash "$root/scripts/pg.sh" pgbouncer-stop "$(dirname "$pid")"
    done
    rm -rf "$work"
    if [ -z "$keep" ]; then rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The copy: the work tree's files (tracked or new, not ignored), so uncommitted patches count too.
# A kept directory is refreshed file by file; unchanged files keep their times (no rebuild).
mkdir -p "$src" "$logs"
staging=$scratch/staging
rm -rf "$staging"
mkdir -p "$staging"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf -) 2>/dev/null \
    | tar -xf - -C "$staging"
(cd "$staging" && find . -type f -print0) | while IFS= read -r -d '' f; do
    if ! cmp -s "$staging/$f" "$src/$f"; then
        mkdir -p "$(dirname "$src/$f")"
        cp "$staging/$f" "$src/$f"
    fi
done
rm -rf "$staging"

launcher=()
if command -v ccache >/dev/null; then
    # Paths relative to the copy, so its objects are shared with other checkouts' builds.
    export CCACHE_BASEDIR=$src CCACHE_NOHASHDIR=true
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
echo "mutations: building the copy in $build (first build: several minutes)" >&2
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROLLUP_WERROR=ON "${launcher[@]}" >"$logs/configure.log" 2>&1 \
    || { cat "$logs/configure.log" >&2; exit 2; }
nice -n 10 cmake --build "$build" -j2 >"$logs/build.log" 2>&1 || { tail -n 40 "$logs/build.log" >&2; exit 2; }

# The server and the environment, as scripts/test.sh sets them.
mkdir -p "$work"
chmod 755 "$scratch" "$work"          # as root, the servers run as `postgres` and must reach their dirs
mkdir -m 1777 "$work/tmp"
pgdir=$work/pg
port=$(bash "$src/scripts/pg.sh" start "$pgdir")
echo "mutations: test PostgreSQL on 127.0.0.1:$port" >&2
export TMPDIR=$work/tmp PGHOST=127.0.0.1 PGPORT=$port PGUSER=rollup PGDATABASE=postgres ROLLUP_TEST_PGDIR=$pgdir
unset DATABASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USERNAME POSTGRES_PASSWORD POSTGRES_DATABASE
export QT_QPA_PLATFORM=offscreen ROLLUP_CONSOLE_BIN=$build/src/rollup-console ROLLUP_SOURCE_DIR=$src
test_timeout=1500

# The shared server may have been left stopped by a test that failed half-way: start it again.
ensure_server() {
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        bash "$src/scripts/pg.sh" server-start "$pgdir" >/dev/null 2>&1 || true
    fi
}

# Runs one "# tests:" item; output appended to $1. Returns non-zero when the test failed.
run_item() {
    local log=$1 item=$2 name functions
    name=${item%%:*}
    functions=''
    [ "$item" != "$name" ] && functions=${item#*:}
    ensure_server
    if [ -z "$functions" ]; then
        (cd "$build" && ctest -R "^${name}\$" --output-on-failure --timeout "$test_timeout" --no-tests=error) >>"$log" 2>&1
    else
        # Started directly to pass the function names; the environment ctest would give it.
        (cd "$build/tests" && XDG_STATE_HOME=$work/state/$name QTEST_FUNCTION_TIMEOUT=1200000 timeout "$test_timeout" \
            "./$name" ${functions//,/ }) >>"$log" 2>&1
    fi
}

# Runs every item of a patch; prints the failed ones; returns 0 when all passed.
run_tests() {
    local log=$1 failed=()
    shift
    for item in "$@"; do
        echo "=== $item" >>"$log"
        run_item "$log" "$item" || failed+=("$item")
    done
    if [ "${#failed[@]}" -gt 0 ]; then
        echo "${failed[*]}"
        return 1
    fi
    return 0
}

targets_of() {
    local out=(rollup-console)
    for item in "$@"; do out+=("${item%%:*}"); done
    echo "${out[*]}"
}

caught=0
missed=0
for p in "${patches[@]}"; do
    id=$(basename "$p" .patch)
    row=$(grep -m1 '^# row:' "$p" | sed 's/^# row: *//' || true)
    read -r -a items <<<"$(tests_of "$p")"
    log=$logs/$id.log
    : >"$log"
    if [ "${#items[@]}" -eq 0 ]; then
        echo "$id: bad patch (no '# tests:' line) — missed"
        missed=$((missed + 1))
        continue
    fi
    read -r -a targets <<<"$(targets_of "${items[@]}")"
    if [ "$baseline" = 1 ]; then
        nice -n 10 cmake --build "$build" -j2 --target "${targets[@]}" >>"$log" 2>&1 || true
        if ! run_tests "$log" "${items[@]}" >/dev/null; then
            echo "$id: baseline failed (its tests fail without the break; see $log) — missed"
            missed=$((missed + 1))
            continue
        fi
    fi
    if ! (cd "$src" && git apply --check "$p") >>"$log" 2>&1; then
        echo "$id: does not apply (bad patch) — missed"
        missed=$((missed + 1))
        continue
    fi
    (cd "$src" && git apply "$p")
    started=$(date +%s)
    if ! nice -n 10 cmake --build "$build" -j2 --target "${targets[@]}" >>"$log" 2>&1; then
        verdict="did not build (bad patch) — missed"
        missed=$((missed + 1))
    elif failed=$(run_tests "$log" "${items[@]}"); then
        verdict="MISSED: ${items[*]} passed with the break"
        missed=$((missed + 1))
    else
        verdict="caught by ${failed}"
        caught=$((caught + 1))
    fi
    (cd "$src" && git apply -R "$p") || { echo "mutations.sh: could not revert $id" >&2; exit 2; }
    echo "$id: $verdict ($(($(date +%s) - started)) s) — $row"
done
echo "logs: $logs$([ -z "$keep" ] && echo ' (removed on exit; -d DIR keeps them)')"
echo "$caught caught, $missed missed"
[ "$missed" -eq 0 ]
