#!/usr/bin/env bash
# README's install command: the Debian package from this checkout. Installs the missing Debian
# packages (scripts/install-deps.sh), builds Release in build/package (without the tests) and
# runs cpack's DEB generator. The last line printed is the .deb's path:
#   sudo apt install ./build/package/rollup-console_<version>_amd64.deb
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_PACKAGE_BUILD_DIR:-$root/build/package}

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
rm -f "$build"/rollup-console_*.deb
(cd "$build" && cpack -G DEB) >&2
ls "$build"/rollup-console_*_amd64.deb
