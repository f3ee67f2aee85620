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

QString AccountStats::eventDayText(const std::optional<SysMicros> &instant, const ZoneResolution &zone)
{
    if (!instant)
        return {};
    if (zone.usable())
        return formatLocalDate(DayWindows::localDateOf(zone.zone, *instant));
    return formatLocalDate(date::local_days{date::floor<date::days>(*instant).time_since_epoch()}) + QStringLiteral(" UTC");
}

QString AccountStats::coverageText(const RollupCoverage &coverage)
{
    if (!coverage.first || !coverage.last)
        return {};
    return QStringLiteral("%1 .. %2").arg(formatLocalDate(*coverage.first), formatLocalDate(*coverage.last));
}

} // namespace rollup
