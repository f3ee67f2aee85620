#!/usr/bin/env bash
# Writes the man page and the bash completion of rollup-console from the binary's own --help
# texts (English), so both always list the commands and options the binary has.
#
# usage: generate-docs.sh BINARY MAN_TEMPLATE MAN_OUT COMPLETION_TEMPLATE COMPLETION_OUT
# The templates' placeholders ({{...}}, left alone by CMake's configure_file): {{ROLLUP_MAN_GLOBAL}},
# {{ROLLUP_MAN_COMMANDS}}, {{ROLLUP_MAN_EXIT}} (man page), {{ROLLUP_COMMANDS}},
# {{ROLLUP_GLOBAL_OPTIONS}}, {{ROLLUP_VALUE_OPTIONS}}, {{ROLLUP_COMMAND_OPTIONS}} (completion).
# Exit 1 when the binary's help does not have the expected shape.
set -euo pipefail
bin=$1 man_in=$2 man_out=$3 completion_in=$4 completion_out=$5
export LANGUAGE=C LC_ALL=C LANG=C QT_QPA_PLATFORM=offscreen

top=$("$bin" --help)
# The lines of section `$1` of the top-level help ("Commands:", "Global options:", "Exit codes:").
section() { printf '%s\n' "$top" | awk -v h="$1" '$0 == h {f = 1; next} /^$/ {f = 0} f'; }
commands=$(section "Commands:" | awk '{print $1}')
[ -n "$commands" ] || { echo "generate-docs: no commands in '$bin --help'" >&2; exit 1; }

# roff: backslashes, hyphens and a leading dot or quote escaped.
roff='function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); sub(/^[.'"'"']/, "\\\\\\&&", s); return s }'

# The first column of two-column help lines ("  -h, --help  text"): the option names.
names_of() { awk '/^  [^ ]/ {line = substr($0, 3); if (match(line, /  +/)) line = substr(line, 1, RSTART - 1); print line}'; }

# Two-column help lines ("  name  text", text continued on indented lines) as .TP items;
# `names` in bold, <placeholders> in italics.
tp_items() {
    awk "$roff"'
    function flush() { if (name != "") { print ".TP"; print fmt(name); print esc(text) } name = "" }
    function fmt(n,   out, parts, i, k) {
        k = split(n, parts, /, /); out = ""
        for (i = 1; i <= k; i++) {
            p = parts[i]; v = ""
            if (match(p, / <[^>]*>$/)) { v = substr(p, RSTART + 1); p = substr(p, 1, RSTART - 1) }
            out = out (i > 1 ? ", " : "") "\\fB" esc(p) "\\fR" (v != "" ? " \\fI" esc(v) "\\fR" : "")
        }
        return out
    }
    /^  [^ ]/ {
        flush(); line = substr($0, 3)
        if (match(line, /  +/)) { name = substr(line, 1, RSTART - 1); text = substr(line, RSTART + RLENGTH) }
        else { name = line; text = "" }
        next
    }
    /^ +[^ ]/ { t = $0; sub(/^ +/, "", t); text = text (text == "" ? "" : " ") t; next }
    END { flush() }'
}

man_commands=""
completion_cases=""
value_options=""
for c in $commands; do
    help=$("$bin" "$c" --help)
    usage=$(printf '%s\n' "$help" | sed -n 1p)
    [ "$usage" = "Usage: rollup-console $c [options]" ] || { echo "generate-docs: '$c --help' starts with '$usage'" >&2; exit 1; }
    description=$(printf '%s\n' "$help" | awk 'NR > 1 && /^$/ {exit} NR > 1')
    options=$(printf '%s\n' "$help" | awk '/^Options:$/ {f = 1; next} /^$/ {f = 0} f')
    example=$(printf '%s\n' "$help" | awk '/^Example:$/ {f = 1; next} f && /^  / {sub(/^  /, ""); print}')
    man_commands+=".SS $c"$'\n'
    man_commands+=".B rollup\\-console $(printf '%s' "$c" | sed 's/-/\\-/g')"$'\n'".RI [ options ]"$'\n'".PP"$'\n'
    man_commands+="$(printf '%s\n' "$description" | awk "$roff"'{print esc($0)}')"$'\n'
    man_commands+="$(printf '%s\n' "$options" | tp_items)"$'\n'
    if [ -n "$example" ]; then
        man_commands+=".PP"$'\n'"Example:"$'\n'".PP"$'\n'".RS"$'\n'".nf"$'\n'
        man_commands+="$(printf '%s\n' "$example" | awk "$roff"'{print esc($0)}')"$'\n'".fi"$'\n'".RE"$'\n'
    fi
    names=$(printf '%s\n' "$options" | names_of | grep -oE -- '--?[a-z][a-z-]*' | sort -u | tr '\n' ' ')
    completion_cases+="    $c) opts=\"${names% }\" ;;"$'\n'
    value_options+=" $(printf '%s\n' "$options" | names_of | grep -oE -- '--[a-z][a-z-]* <' | sed 's/ <//' | tr '\n' ' ')"
done
value_options=$(printf '%s\n' $value_options | sort -u | tr '\n' '|')
global_options=$(section "Global options:" | names_of | grep -oE -- '--?[a-z][a-z-]*' | sort -u | tr '\n' ' ')

man_global=$(section "Global options:" | tp_items)
man_exit=$(section "Exit codes:" | tp_items)

# Substitutes {{NAME}} in the template $1 with the environment variable NAME (multi-line values).
fill() {
    awk '{
        while (match($0, /\{\{ROLLUP_[A-Z_]+\}\}/)) {
            key = substr($0, RSTART + 2, RLENGTH - 4)
            $0 = substr($0, 1, RSTART - 1) ENVIRON[key] substr($0, RSTART + RLENGTH)
        }
        print
    }' "$1"
}
ROLLUP_MAN_GLOBAL=$man_global ROLLUP_MAN_COMMANDS=${man_commands%$'\n'} ROLLUP_MAN_EXIT=$man_exit \
    fill "$man_in" > "$man_out.tmp"
mv "$man_out.tmp" "$man_out"
ROLLUP_COMMANDS=$(printf '%s ' $commands | sed 's/ $//') ROLLUP_GLOBAL_OPTIONS=${global_options% } \
    ROLLUP_VALUE_OPTIONS=${value_options%|} ROLLUP_COMMAND_OPTIONS=${completion_cases%$'\n'} \
    fill "$completion_in" > "$completion_out.tmp"
mv "$completion_out.tmp" "$completion_out"
