#!/usr/bin/env bash
# tst_package: the Debian package as a user gets it. cpack builds rollup-console_<version>_amd64.deb
# from this build, dpkg-deb unpacks it into a scratch root, and every check reads or runs the
# files under that root, never the build folder: the package's fields (Depends from
# dpkg-shlibdeps, postgresql recommended), the file list, the desktop entry
# (desktop-file-validate), the AppStream metainfo (appstreamcli validate), the icons, the man page
# (man, with groff's warnings), the bash completion, and the installed binary: --version,
# --help in English and Portuguese, day-bounds, and --demo accounts on a demo cluster of its own
# in a scratch data directory (as root the console runs it as the postgres user).
#
# usage: tst_package.sh BUILD_DIR VERSION APP_ID CPACK DPKG_DEB APPSTREAMCLI DESKTOP_FILE_VALIDATE
# Prints one line per check; exit 0 when all passed.
set -uo pipefail
build=$1 version=$2 app_id=$3 cpack=$4 dpkg_deb=$5 appstreamcli=$6 desktop_validate=$7

passed=0 failed=0
ok() { echo "PASS: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
contains() { grep -qF -- "$2" <<<"$1"; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rollup-pkg.XXXXXX")
chmod 755 "$scratch"
root=$scratch/root
home=$scratch/h
demo_data=$home/d/rollup-console/demo/data # short: the server's socket lives next to it
cleanup() {
    # A demo server left behind by a failed check is stopped before its files go.
    if [ -f "$demo_data/postmaster.pid" ]; then
        pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
        if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_ctl" -D "$demo_data" -m immediate stop >/dev/null 2>&1
        else "$pg_ctl" -D "$demo_data" -m immediate stop >/dev/null 2>&1; fi
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

for tool in "$cpack" "$dpkg_deb" "$appstreamcli" "$desktop_validate"; do
    [ -x "$tool" ] || { echo "FAIL: $tool is missing (bash scripts/install-deps.sh installs it)"; exit 1; }
done

# 1. Build the package.
if ! (cd "$build" && "$cpack" -G DEB -B "$scratch/cpack" --config "$build/CPackConfig.cmake") >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log"
    echo "FAIL: cpack -G DEB"
    exit 1
fi
deb=$scratch/cpack/rollup-console_${version}_amd64.deb
check "cpack wrote $(basename "$deb")" test -f "$deb"
[ -f "$deb" ] || exit 1

# 2. The package's fields.
fields=$("$dpkg_deb" -f "$deb" Package Version Architecture Depends Recommends)
echo "$fields"
for want in "Package: rollup-console" "Version: $version" "Architecture: amd64"; do
    check "field $want" contains "$fields" "$want"
done
# The package names of a relationship field, one a line ("libpq5 (>= 9.5~~)" -> "libpq5").
names() { "$dpkg_deb" -f "$deb" "$1" | tr ',|' '\n\n' | awk 'NF {print $1}'; }
depends=$(names Depends)
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6sql6 libqt6charts6 libpq5 libstdc++6 libc6 libqt6sql6-psql qt6-qpa-plugins tzdata; do
    check "Depends names $lib" grep -qxF "$lib" <<<"$depends"
done
check "Recommends postgresql" grep -qxF postgresql <<<"$(names Recommends)"

# 3. Unpack into the scratch root.
mkdir -p "$root"
"$dpkg_deb" -x "$deb" "$root" || { echo "FAIL: dpkg-deb -x"; exit 1; }
bin=$root/usr/bin/rollup-console
for f in usr/bin/rollup-console "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
         usr/share/icons/hicolor/scalable/apps/rollup-console.svg usr/share/man/man1/rollup-console.1.gz \
         usr/share/bash-completion/completions/rollup-console; do
    check "installs /$f" test -f "$root/$f"
done
for size in 16 22 24 32 48 64 128 256; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/rollup-console.png
    check "icon ${size}x${size} is a ${size} x ${size} PNG" grep -q "PNG image data, $size x $size" <<<"$(file -b "$png" 2>&1)"
done
check "the binary carries no build-folder RPATH" bash -c "! readelf -d '$bin' | grep -E 'R(UN)?PATH' | grep -qF '$build'"

# 4. Desktop entry and metainfo.
desktop=$root/usr/share/applications/$app_id.desktop
check "desktop-file-validate" "$desktop_validate" "$desktop"
check "desktop entry: Name=Rollup Console" grep -qx "Name=Rollup Console" "$desktop"
check "desktop entry: Exec=rollup-console" grep -qx "Exec=rollup-console" "$desktop"
check "desktop entry: Icon=rollup-console" grep -qx "Icon=rollup-console" "$desktop"
check "appstreamcli validate --no-net" "$appstreamcli" validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml"
check "metainfo names the desktop entry" grep -qF "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
    "$root/usr/share/metainfo/$app_id.metainfo.xml"
check "metainfo release is $version" grep -qF "<release version=\"$version\"" "$root/usr/share/metainfo/$app_id.metainfo.xml"

# 5. The installed binary, in English.
export LANGUAGE=C LC_ALL=C.UTF-8 LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
unset DATABASE_URL POSTGRES_HOST POSTGRES_PORT POSTGRES_USERNAME POSTGRES_PASSWORD POSTGRES_DATABASE ROLLUP_CONSOLE_NOW
out=$("$bin" --version)
echo "$out"
check "--version says rollup-console $version" grep -qE "^rollup-console $version( \([0-9a-f]+\))?$" <<<"$out"
top=$("$bin" --help)
check "--help aligns the commands" grep -qE "^  set-timezone  set or clear" <<<"$top"
check "--help lists the exit codes" grep -q "^Exit codes:" <<<"$top"
for c in accounts set-timezone backfill verify day-bounds; do
    help=$("$bin" "$c" --help)
    check "$c --help starts with its own usage" test "$(head -1 <<<"$help")" = "Usage: rollup-console $c [options]"
    check "$c --help ends with an example of $c" grep -qE "^  rollup-console $c " <<<"$(tail -1 <<<"$help")"
done
bounds=$("$bin" day-bounds --timezone America/Sao_Paulo --from 2018-11-03 --to 2018-11-05)
echo "$bounds"
# Brazil's clocks went from 00:00 to 01:00 on 2018-11-04: a 23-hour day from 03:00Z to 02:00Z.
check "day-bounds: the 23-hour day of Sao Paulo's 2018 DST start" \
    grep -qx "America/Sao_Paulo,2018-11-04,2018-11-04T03:00:00Z,2018-11-05T02:00:00Z,23" <<<"$bounds"
check "day-bounds: the days around it have 24 hours" test "$(grep -cE ',24$' <<<"$bounds")" -eq 2

# 6. In Brazilian Portuguese, chosen through LANG, LC_ALL or LANGUAGE as a desktop session sets them.
for env in "LANG=pt_BR.UTF-8" "LC_ALL=pt_BR.UTF-8" "LANGUAGE=pt_BR:en"; do
    pt=$(env -u LANGUAGE -u LC_ALL LANG=C.UTF-8 "$env" "$bin" --help)
    check "$env: --help in Portuguese" grep -q "^Uso: rollup-console" <<<"$pt"
    check "$env: exit codes in Portuguese" grep -q "^Códigos de saída:" <<<"$pt"
done
pt=$(env -u LANGUAGE -u LC_ALL LANG=pt_BR.UTF-8 "$bin" verify --help)
check "pt_BR: verify --help names itself" test "$(head -1 <<<"$pt")" = "Uso: rollup-console verify [opções]"
pt=$(env -u LANGUAGE -u LC_ALL LANG=pt_BR.UTF-8 "$bin" day-bounds --timezone Nowhere/City --from 2020-01-01 2>&1)
check "pt_BR: an error in Portuguese" grep -q "fuso horário desconhecido" <<<"$pt"

# 7. The man page, as man finds it under the installed prefix.
check "man -w finds rollup-console(1) in the package" test "$(MANPATH=$root/usr/share/man man -w rollup-console 2>/dev/null)" = \
    "$root/usr/share/man/man1/rollup-console.1.gz"
page=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/rollup-console.1.gz" 2>/dev/null)
warnings=$(MANWIDTH=100 man --warnings -l "$root/usr/share/man/man1/rollup-console.1.gz" 2>&1 >/dev/null)
check "man: groff prints no warning" test -z "$warnings"
[ -z "$warnings" ] || echo "$warnings"
for c in accounts set-timezone backfill verify day-bounds; do
    check "man: a section for $c" grep -qE "^   $c$" <<<"$page"
done
for s in "EXIT STATUS" "ENVIRONMENT" "--only-mismatches" "--database-url" "130"; do
    check "man: mentions $s" grep -qF -- "$s" <<<"$page"
done

# 8. Bash completion.
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rollup_console; echo "${COMPREPLY[*]}"' \
        _ "$root/usr/share/bash-completion/completions/rollup-console" "$@"
}
check "completion: rollup-console ver -> verify" test "$(complete_words rollup-console ver)" = "verify"
check "completion: --demo back -> backfill" test "$(complete_words rollup-console --demo back)" = "backfill"
check "completion: verify --only-m -> --only-mismatches" test "$(complete_words rollup-console verify --only-m)" = "--only-mismatches"
check "completion: backfill --dr -> --dry-run" test "$(complete_words rollup-console backfill --dr)" = "--dry-run"
check "completion: accounts --format '' -> table csv json" test "$(complete_words rollup-console accounts --format '')" = "table csv json"
check "completion: --timezone America/Sao_P -> America/Sao_Paulo" \
    test "$(complete_words rollup-console day-bounds --timezone America/Sao_P)" = "America/Sao_Paulo"

# 9. --demo accounts from the installed files, on a demo cluster in a scratch home.
mkdir -p "$home"
demo_env=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_DATA_HOME="$home/d" XDG_STATE_HOME="$home/s" XDG_CONFIG_HOME="$home/c"
          LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen)
if [ "$(id -u)" -eq 0 ]; then
    # As root the console would use /var/lib/rollup-console/demo; as the postgres user it uses
    # the scratch home. The scratch root is readable by everyone (0755), the home is postgres's.
    chown postgres: "$home"
    demo=(runuser -u postgres -- "${demo_env[@]}" "$bin")
else
    demo=("${demo_env[@]}" "$bin")
fi
accounts=$(timeout 900 "${demo[@]}" --demo accounts --format csv 2>"$scratch/demo.err")
rc=$?
check "--demo accounts exits 0 (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -20 "$scratch/demo.err"
echo "$accounts" | head -3
check "--demo accounts: the CSV header" test "$(head -1 <<<"$accounts")" = \
    "id,name,stored_timezone,state,resolved,local_now,rollup_first,rollup_last,first_event_day,last_event_day"
check "--demo accounts: the demo's nine accounts" test "$(($(grep -c '' <<<"$accounts") - 1))" -eq 9
check "--demo seeded its cluster under the scratch home" test -f "$demo_data/PG_VERSION"
check "--demo stopped its server on exit" test ! -f "$demo_data/postmaster.pid"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
