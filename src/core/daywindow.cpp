#include "core/daywindow.h"

#include <QRegularExpression>

#include <date/tz.h>

namespace rollup {

QString DayWindow::hoursText() const
{
    const qint64 secs = length().count();
    if (secs % 3600 == 0)
        return QString::number(secs / 3600);
    return QString::number(secs / 3600.0, 'f', 2).remove(QRegularExpression(QStringLiteral("0+$")));
}

SysSeconds DayWindows::startOf(const date::time_zone *zone, date::local_days day)
{
    date::local_seconds wall{day};
    // A skipped day (Pacific/Apia 2011-12-30) needs up to 24 steps; 48 bounds any real gap.
    for (int step = 0; step < 48; ++step) {
        const date::local_info info = zone->get_info(wall);
        switch (info.result) {
        case date::local_info::unique:
            return SysSeconds{wall.time_since_epoch() - info.first.offset};
        case date::local_info::ambiguous: {
            const bool firstDst = info.first.save != std::chrono::minutes{0};
            const bool secondDst = info.second.save != std::chrono::minutes{0};
            const date::sys_info &chosen = (firstDst && !secondDst) ? info.first : info.second;
            return SysSeconds{wall.time_since_epoch() - chosen.offset};
        }
        case date::local_info::nonexistent:
            wall += std::chrono::hours{1};
            break;
        }
    }
    // Unreachable with real tz data; fall back to the transition instant.
    const date::local_info info = zone->get_info(date::local_seconds{day});
    return info.second.begin;
}

DayWindow DayWindows::window(const date::time_zone *zone, date::local_days day)
{
    return DayWindow{day, startOf(zone, day), startOf(zone, day + date::days{1})};
}

QList<DayWindow> DayWindows::windows(const date::time_zone *zone, date::local_days from, date::local_days to)
{
    QList<DayWindow> out;
    if (from > to)
        return out;
    out.reserve(int((to - from).count()) + 1);
    SysSeconds start = startOf(zone, from);
    for (date::local_days d = from; d <= to; d += date::days{1}) {
        const SysSeconds next = startOf(zone, d + date::days{1});
        out.append(DayWindow{d, start, next});
        start = next;
    }
    return out;
}

date::local_days DayWindows::localDateOf(const date::time_zone *zone, SysSeconds instant)
{
    return date::floor<date::days>(zone->to_local(instant));
}

date::local_days DayWindows::localDateOf(const date::time_zone *zone, SysMicros instant)
{
    return date::floor<date::days>(zone->to_local(instant));
}

date::local_days DayWindows::today(const date::time_zone *zone, SysSeconds now)
{
    return localDateOf(zone, now);
}

} // namespace rollup
