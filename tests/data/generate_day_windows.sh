#!/usr/bin/env bash
# Writes tests/data/day_windows.tsv: the UTC window [start(D), start(D+1)) of local days around
# every time-zone transition, computed WITHOUT the product's C++ (core/DayWindows), so that
# tests/tst_daywindowtable.cpp can check DayWindows against an independent table. The test only
# reads the committed file; it never runs this script.
#
# Regenerate (after a tzdata update, or to add zones) from the repository root:
#     bash tests/data/generate_day_windows.sh > tests/data/day_windows.tsv
# It starts a throwaway PostgreSQL with scripts/pg.sh (and stops it), or uses the server named by
# PGHOST/PGPORT/PGUSER when PGPORT is set. Then review the diff: rows that move are days whose
# tz rules changed between the tzdata versions named in the file's header.
#
# Sources:
#  * Every conversion between wall clock and UTC is PostgreSQL's (`AT TIME ZONE`), which on Debian
#    reads the system tz database (/usr/share/zoneinfo; postgresql is built --with-system-tzdata).
#  * Which transitions exist, and whether a period has DST in effect, comes from glibc's zdump -v
#    (its isdst flag per period of the same zoneinfo files). PostgreSQL offers no is_dst for past
#    periods, and abbreviations cannot tell it ("+11", "-01" are numeric), nor can offsets: Casey's
#    +11 -> +08 in March is a standard-offset change that looks like a fall-back. The script
#    checks that PostgreSQL's offset equals zdump's gmtoff at every zdump sample.
#
# The rule (ActiveSupport 7.1 TimeZone#parse of "YYYY-MM-DD", via TZInfo period_for_local with
# dst = true and Rails' `periods.last` block), written out in SQL below as pg_temp.day_start:
#  * w = D 00:00 wall clock. If no UTC instant u has (u AT TIME ZONE zone) = w (a gap), add one
#    hour to w and try again (a skipped day ends on the next day's midnight: empty window).
#  * One instant: that one. Two (w occurs twice): the one whose period has DST in effect when
#    exactly one of them has; otherwise (neither or both) the later instant.
#  * end(D) = start(D + 1).
# The candidates for w are w - o for every distinct offset o the zone has within 26 hours of w
# (sampled every 15 minutes), kept when they convert back to w.
#
# Which days: for each zone and year range below, the local dates (old and new offset) of every
# zdump transition sample, with the day before and after; plus January 1 and July 1 of every
# year, so zones without transitions in the range still have rows.
#
# Columns (tab-separated; lines starting with '#' are comments):
#   zone  date  start_utc  end_utc  hours  local_date(start-1us)  local_date(start)
#   local_date(end-1us)  midnight
# local_date(t) is PostgreSQL's (t AT TIME ZONE zone)::date, the live path's date of an instant.
# midnight says how start(D) was found: unique, gap+Nh, ambiguous:dst-earlier,
# ambiguous:dst-later, ambiguous:later (a gap and an ambiguity combine as "gap+1h,ambiguous:...").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# zone first-year last-year (one line per range; a zone may have several ranges)
spans=$(cat <<'EOF'
America/New_York 2016 2026
America/Santiago 2016 2026
America/Havana 2016 2026
America/Asuncion 2016 2026
America/St_Johns 2016 2026
America/Sao_Paulo 2016 2026
America/Mexico_City 2016 2026
America/Ciudad_Juarez 2016 2026
America/Nuuk 2016 2026
America/Godthab 2016 2026
America/Scoresbysund 2016 2026
America/Grand_Turk 2016 2026
America/Whitehorse 2016 2026
America/Punta_Arenas 2016 2026
America/Caracas 2016 2026
Europe/London 2016 2026
Europe/Berlin 2016 2026
Europe/Dublin 2016 2026
Europe/Moscow 2016 2026
Europe/Volgograd 2016 2026
Europe/Chisinau 2016 2026
Asia/Beirut 2016 2026
Asia/Gaza 2016 2026
Asia/Hebron 2016 2026
Asia/Amman 2016 2026
Asia/Damascus 2016 2026
Asia/Famagusta 2016 2026
Asia/Tehran 2016 2026
Asia/Kolkata 2016 2026
Asia/Kathmandu 2016 2026
Asia/Pyongyang 2016 2026
Asia/Almaty 2016 2026
Asia/Magadan 2016 2026
Australia/Lord_Howe 2016 2026
Australia/Adelaide 2016 2026
Australia/Sydney 2016 2026
Antarctica/Casey 2016 2026
Antarctica/Troll 2016 2026
Pacific/Chatham 2016 2026
Pacific/Apia 2016 2026
Pacific/Auckland 2016 2026
Pacific/Norfolk 2016 2026
Pacific/Fiji 2016 2026
Pacific/Tongatapu 2016 2026
Pacific/Kiritimati 2016 2026
Africa/Casablanca 2016 2026
Africa/Cairo 2016 2026
Africa/Windhoek 2016 2026
Africa/Khartoum 2016 2026
Africa/Juba 2016 2026
UTC 2016 2026
Pacific/Apia 2011 2011
Pacific/Kiritimati 1994 1995
Pacific/Pitcairn 1998 1998
Asia/Colombo 1996 1996
Asia/Colombo 2006 2006
Asia/Chita 2014 2014
EOF
)

zdump_samples() {
    # zone <TAB> UTC instant <TAB> isdst <TAB> gmtoff, one line per zdump -v sample
    # (each transition gives two: one second before it and at it). From 1970, so that the
    # period in effect before a range's first transition is known too.
    local zone from to
    while read -r zone from to; do
        zdump -v -c "1970,$((to + 2))" "$zone" | awk -v zone="$zone" '
            BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ");
                    for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i) }
            $NF ~ /^gmtoff=/ && $7 == "UT" {
                isdst = $(NF - 1); sub(/^isdst=/, "", isdst)
                gmtoff = $NF; sub(/^gmtoff=/, "", gmtoff)
                printf "%s\t%s-%s-%02d %s+00\t%s\t%s\n", zone, $6, mon[$3], $4, $5, isdst, gmtoff
            }'
    done <<<"$spans" | sort -u
}

generate_sql() {
    cat <<'EOF'
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET timezone = 'UTC';
CREATE TEMP TABLE spans (zone text, y_from int, y_to int);
COPY spans FROM stdin WITH (DELIMITER ' ');
EOF
    printf '%s\n\\.\n' "$spans"
    cat <<'EOF'
CREATE TEMP TABLE zdump (zone text, at timestamptz, isdst int, gmtoff int);
COPY zdump FROM stdin;
EOF
    zdump_samples
    printf '\\.\n'
    cat <<'EOF'
CREATE INDEX ON zdump (zone, at);

-- The zone's UTC offset at instant u, from PostgreSQL.
CREATE FUNCTION pg_temp.utc_offset(z text, u timestamptz) RETURNS interval
    LANGUAGE sql STABLE AS $$ SELECT (u AT TIME ZONE z) - (u AT TIME ZONE 'UTC') $$;

-- The two sources read the same zoneinfo: stop if they disagree anywhere.
DO $$
DECLARE bad record;
BEGIN
    SELECT * INTO bad FROM zdump
     WHERE pg_temp.utc_offset(zone, at) <> make_interval(secs => gmtoff) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'PostgreSQL and zdump disagree: % at % (zdump gmtoff %)', bad.zone, bad.at, bad.gmtoff;
    END IF;
END $$;

-- Every UTC instant whose wall clock in zone z is w, earliest first (0, 1 or 2 of them).
CREATE FUNCTION pg_temp.instants_for(z text, w timestamp) RETURNS timestamptz[]
    LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(u ORDER BY u), '{}')
      FROM (SELECT DISTINCT (w - o) AT TIME ZONE 'UTC' AS u
              FROM (SELECT DISTINCT pg_temp.utc_offset(z, (w AT TIME ZONE 'UTC') + s * interval '15 minutes') AS o
                      FROM generate_series(-26 * 4, 26 * 4) AS s) AS offsets
             WHERE (((w - o) AT TIME ZONE 'UTC') AT TIME ZONE z) = w) AS c $$;

-- zdump's isdst for the period that contains u (null when zdump has no sample before u).
CREATE FUNCTION pg_temp.is_dst(z text, u timestamptz) RETURNS int
    LANGUAGE sql STABLE AS $$
    SELECT isdst FROM zdump WHERE zone = z AND at <= u ORDER BY at DESC LIMIT 1 $$;

-- start(D) by the rule in the header, and how it was found.
CREATE FUNCTION pg_temp.day_start(z text, d date, OUT start timestamptz, OUT how text)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    w timestamp;
    c timestamptz[];
    dst1 int;
    dst2 int;
BEGIN
    FOR k IN 0..47 LOOP
        w := d + make_interval(hours => k);
        c := pg_temp.instants_for(z, w);
        CONTINUE WHEN cardinality(c) = 0;
        how := CASE WHEN k = 0 THEN '' ELSE 'gap+' || k || 'h' END;
        IF cardinality(c) = 1 THEN
            start := c[1];
            how := coalesce(nullif(how, ''), 'unique');
            RETURN;
        END IF;
        IF cardinality(c) > 2 THEN
            RAISE EXCEPTION '% %: % instants for %', z, d, cardinality(c), w;
        END IF;
        dst1 := pg_temp.is_dst(z, c[1]);
        dst2 := pg_temp.is_dst(z, c[2]);
        IF dst1 IS NULL OR dst2 IS NULL THEN
            RAISE EXCEPTION '% %: no zdump sample to tell DST at % / %', z, d, c[1], c[2];
        END IF;
        IF dst1 <> 0 AND dst2 = 0 THEN
            start := c[1]; how := how || CASE WHEN how = '' THEN '' ELSE ',' END || 'ambiguous:dst-earlier';
        ELSIF dst2 <> 0 AND dst1 = 0 THEN
            start := c[2]; how := how || CASE WHEN how = '' THEN '' ELSE ',' END || 'ambiguous:dst-later';
        ELSE
            start := c[2]; how := how || CASE WHEN how = '' THEN '' ELSE ',' END || 'ambiguous:later';
        END IF;
        RETURN;
    END LOOP;
    RAISE EXCEPTION '% %: no wall clock time within 48 hours exists', z, d;
END $$;

CREATE TEMP TABLE days AS
SELECT DISTINCT t.zone, (l.day + k) AS day
  FROM zdump AS t
  JOIN spans AS s ON s.zone = t.zone
  CROSS JOIN LATERAL (SELECT (t.at AT TIME ZONE t.zone)::date AS day) AS l
  CROSS JOIN generate_series(-1, 1) AS k
 WHERE l.day BETWEEN make_date(s.y_from, 1, 1) AND make_date(s.y_to, 12, 31)
UNION
SELECT s.zone, make_date(y, m, 1)
  FROM spans AS s
  CROSS JOIN LATERAL generate_series(s.y_from, s.y_to) AS y
  CROSS JOIN (VALUES (1), (7)) AS months (m);

CREATE TEMP TABLE starts AS
SELECT x.zone, x.day, st.start, st.how
  FROM (SELECT zone, day FROM days UNION SELECT zone, day + 1 FROM days) AS x
  CROSS JOIN LATERAL pg_temp.day_start(x.zone, x.day) AS st;

\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
SELECT '# columns: zone, date, start_utc, end_utc, hours, local_date(start-1us), local_date(start), local_date(end-1us), midnight';
SELECT '# ' || count(*) || ' rows, ' || count(DISTINCT d.zone) || ' zones; generated by tests/data/generate_day_windows.sh with '
       || split_part(version(), ' on ', 1)
  FROM days AS d;
SELECT d.zone,
       to_char(d.day, 'YYYY-MM-DD'),
       to_char(a.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(b.start, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       trim_scale(extract(epoch FROM b.start - a.start) / 3600),
       to_char(((a.start - interval '1 microsecond') AT TIME ZONE d.zone)::date, 'YYYY-MM-DD'),
       to_char((a.start AT TIME ZONE d.zone)::date, 'YYYY-MM-DD'),
       to_char(((b.start - interval '1 microsecond') AT TIME ZONE d.zone)::date, 'YYYY-MM-DD'),
       a.how
  FROM days AS d
  JOIN starts AS a ON a.zone = d.zone AND a.day = d.day
  JOIN starts AS b ON b.zone = d.zone AND b.day = d.day + 1
 ORDER BY d.zone, d.day;
EOF
}

run_psql() {
    psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}"
}

echo "# UTC window [start(D), start(D+1)) of local day D, ActiveSupport 7.1 tz.parse(D) rules."
echo "# Regenerate: bash tests/data/generate_day_windows.sh > tests/data/day_windows.tsv (see its header)."
echo "# tzdata: $(sed -n 's/^# version //p;q' /usr/share/zoneinfo/tzdata.zi)"
if [ -n "${PGPORT:-}" ]; then
    generate_sql | run_psql
else
    pgdir=$(mktemp -d /tmp/rollup-daywindows-pg.XXXXXX)
    trap 'bash "$root/scripts/pg.sh" stop "$pgdir" >/dev/null' EXIT
    export PGHOST=127.0.0.1 PGUSER=rollup PGPORT
    PGPORT=$(bash "$root/scripts/pg.sh" start "$pgdir")
    generate_sql | run_psql
fi
