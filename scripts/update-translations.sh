#!/usr/bin/env bash
# Brings every translations/rollup-console_*.ts up to date with the tr() texts of src/ and ui/
# (lupdate): new texts are added as unfinished, texts no longer in the code are dropped. The
# build only compiles the .ts files (lrelease); it never rewrites them. Run this after changing
# or adding user-visible texts, then translate what is unfinished (Qt Linguist: `linguist
# translations/rollup-console_pt_BR.ts`, or edit the <translation> elements) and commit the .ts.
#
# rollup-console_en.ts holds only the English plural forms ("%n account(s)" -> "1 account",
# "2 accounts"); every other file is a full translation.
#
# usage: bash scripts/update-translations.sh        (needs qt6-l10n-tools: scripts/install-deps.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
lupdate=${LUPDATE:-$(command -v lupdate6 || true)}
[ -n "$lupdate" ] || lupdate=/usr/lib/qt6/bin/lupdate
[ -x "$lupdate" ] || { echo "update-translations: lupdate not found (install qt6-l10n-tools)" >&2; exit 2; }

for ts in translations/rollup-console_*.ts; do
    language=$(basename "$ts" .ts)
    language=${language#rollup-console_}
    extra=()
    [ "$language" = en ] && extra=(-pluralonly)
    "$lupdate" -locations none -no-obsolete -target-language "$language" "${extra[@]}" src ui -ts "$ts"
done
# What is left to translate, per file.
for ts in translations/rollup-console_*.ts; do
    echo "$ts: $(grep -c 'type="unfinished"' "$ts" || true) unfinished"
done
