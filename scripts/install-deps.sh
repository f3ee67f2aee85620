#!/usr/bin/env bash
# Installs the Debian 12 packages Rollup Console needs to build, test and run its demo.
# Only missing packages are installed; as a normal user this uses sudo.
set -euo pipefail

packages=(cmake ninja-build g++ pkgconf qt6-base-dev libqt6opengl6-dev libqt6sql6-psql qt6-charts-dev
          libhowardhinnant-date-dev libpq-dev postgresql tzdata openssl pgbouncer
          qt6-tools-dev qt6-l10n-tools desktop-file-utils appstream dpkg-dev qt6-translations-l10n)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
