#include "core/daywindow.h"

#include <QRegularExpression>

#include <algorithm>

#include <date/tz.h>

namespace rollup {

QString DayWindow::hoursText() const
{
    const qint64 secs = length().count();
    if (secs % 3600 == 0)
        return QString::number(secs / 3600);
    return QString::number(secs / 3600.0, 'f', 2).remove(QRegularExpression(QStringLiteral("0+$")));
}

std::optional<std::chrono::seconds> DayWindow::shift() const
{
    if (length() > std::chrono::hours{24} || length() <= std::chrono::seconds{0})
        return std::nullopt;
    return date::sys_days{day.time_since_epoch()} - start;
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

std::optional<std::chrono::seconds> DayWindows::commonShift(const QList<DayWindow> &windows)
{
    if (windows.isEmpty() || shiftRun(windows, 0, windows.size()) != windows.size())
        return std::nullopt;
    return windows.first().shift();
}

qsizetype DayWindows::shiftRun(const QList<DayWindow> &windows, qsizetype from, qsizetype max)
{
    if (from < 0 || from >= windows.size() || max < 1)
        return 0;
    const std::optional<std::chrono::seconds> first = windows.at(from).shift();
    if (!first)
        return 0;
    const qsizetype limit = std::min(windows.size(), from + max);
    qsizetype i = from + 1;
    while (i < limit && windows.at(i).start == windows.at(i - 1).end && windows.at(i).shift() == first)
        ++i;
    return i - from;
}

qsizetype DayWindows::nextChunk(const QList<DayWindow> &windows, qsizetype from, qsizetype max)
{
    if (from < 0 || from >= windows.size())
        return 0;
    max = std::min(std::max<qsizetype>(max, 1), windows.size() - from);
    const qsizetype run = shiftRun(windows, from, max);
    if (run >= kMinShiftRun || run == max)
        return run;
    // Not worth a run of its own: bucket by boundaries up to where a long enough run begins.
    qsizetype end = from + std::max<qsizetype>(run, 1);
    while (end < from + max) {
        const qsizetype next = shiftRun(windows, end, kMinShiftRun);
        if (next >= kMinShiftRun)
            break;
        end += std::max<qsizetype>(next, 1);
    }
    return std::min(end, from + max) - from;
}

QString DayWindows::localTimeText(const date::time_zone *zone, SysMicros instant)
{
    const auto seconds = date::floor<std::chrono::seconds>(instant);
    return QString::fromStdString(date::format("%F %T", zone->to_local(seconds))) + QLatin1Char(' ')
           + QString::fromStdString(zone->get_info(seconds).abbrev);
}

} // namespace rollup
