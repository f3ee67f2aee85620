#!/usr/bin/env bash
# README command (a): install what is missing, build (Release) and open the console on its
# private demo database. Extra arguments go to rollup-console (e.g. --reset).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ROLLUP_BUILD_DIR:-$root/build/release}

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target rollup-console
exec "$build/src/rollup-console" --demo "$@"
