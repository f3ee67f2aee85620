#include "core/account.h"

#include "core/daywindow.h"

namespace rollup {

QString AccountRow::storedTimezoneText() const
{
    if (storedTimezone.isUndefined())
        return {};
    if (storedTimezone.isString())
        return storedTimezone.toString();
    return ZoneResolver::resolve(storedTimezone).stored;
}

QString AccountStats::eventDayText(const std::optional<SysMicros> &instant, const ZoneResolution &zone, DayFormat format)
{
    if (!instant)
        return {};
    if (zone.usable())
        return format(DayWindows::localDateOf(zone.zone, *instant));
    return format(date::local_days{date::floor<date::days>(*instant).time_since_epoch()}) + QStringLiteral(" UTC");
}

QString AccountStats::coverageText(const RollupCoverage &coverage, DayFormat format)
{
    if (!coverage.first || !coverage.last)
        return {};
    return QStringLiteral("%1 .. %2").arg(format(*coverage.first), format(*coverage.last));
}

} // namespace rollup
