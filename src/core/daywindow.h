#pragma once

#include "core/localdate.h"

#include <QList>
#include <QString>

namespace date { class time_zone; }

namespace rollup {

// The UTC window of one local calendar day: [start(D), start(D+1)), where start(D) is
// ActiveSupport's `tz.parse("YYYY-MM-DD")` (contract §7.2). Never start + 24 h.
struct DayWindow
{
    date::local_days day;
    SysSeconds start;
    SysSeconds end;

    std::chrono::seconds length() const { return end - start; }
    // 24, 23, 25, 23.5, 0 ... as text ("23", "23.5")
    QString hoursText() const;
    double hours() const { return length().count() / 3600.0; }
};

// All functions are pure and thread-safe; `zone` must not be null.
class DayWindows
{
public:
    // ActiveSupport's tz.parse(D).utc: a nonexistent local midnight moves forward one hour at a
    // time until it exists; an ambiguous one takes the DST candidate when exactly one candidate
    // is DST, otherwise the later instant.
    static SysSeconds startOf(const date::time_zone *zone, date::local_days day);
    static DayWindow window(const date::time_zone *zone, date::local_days day);
    // Windows for every local date in [from, to] (inclusive); empty when from > to.
    static QList<DayWindow> windows(const date::time_zone *zone, date::local_days from, date::local_days to);
    // The live path's rule: created_at.in_time_zone(tz).to_date.
    static date::local_days localDateOf(const date::time_zone *zone, SysSeconds instant);
    static date::local_days localDateOf(const date::time_zone *zone, SysMicros instant);
    // Today in the zone at `now`.
    static date::local_days today(const date::time_zone *zone, SysSeconds now);
};

} // namespace rollup
