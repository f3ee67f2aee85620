#pragma once

#include "core/localdate.h"

#include <QList>
#include <QString>

#include <optional>

namespace date {
class time_zone;
}

namespace rollup {

// The UTC window of one local calendar day: [start(D), start(D+1)), where start(D) is
// ActiveSupport's `tz.parse("YYYY-MM-DD")` (docs/rollups.md §5.1). Never start + 24 h.
struct DayWindow
{
    date::local_days day;
    SysSeconds start;
    SysSeconds end;

    std::chrono::seconds length() const { return end - start; }
    // 24, 23, 25, 23.5, 0 ... as text ("23", "23.5")
    QString hoursText() const;
    double hours() const { return length().count() / 3600.0; }
    // The constant shift o = (D at 00:00, read as UTC) - start. For a window of at most 24 h,
    // every t in [start, end) has floor_days(t + o) == D, so the server can bucket events by
    // plain addition. None for longer (fall-back) days, where no single shift fits.
    std::optional<std::chrono::seconds> shift() const;
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
    // The wall-clock time of an instant in the zone with its abbreviation: "2026-03-08 01:59:59 EST".
    static QString localTimeText(const date::time_zone *zone, SysMicros instant);

    // Runs of windows that one statement can bucket by a single shift: contiguous (each ends
    // where the next starts) and sharing DayWindow::shift(). A time-zone transition ends a run.
    static constexpr qsizetype kMinShiftRun = 7;
    // The shift every window shares when they are contiguous, else none.
    static std::optional<std::chrono::seconds> commonShift(const QList<DayWindow> &windows);
    // How many windows from `from` (at most `max`) form one shift run; 0 when windows[from] has
    // no shift.
    static qsizetype shiftRun(const QList<DayWindow> &windows, qsizetype from, qsizetype max);
    // The next chunk from `from`, at most `max` windows (max >= 1): a shift run when it is at
    // least kMinShiftRun long or reaches `max`, otherwise everything up to where such a run
    // starts (transition days, scattered days), which the server buckets by boundaries.
    static qsizetype nextChunk(const QList<DayWindow> &windows, qsizetype from, qsizetype max);
};

} // namespace rollup
