#include "core/rangeplan.h"

namespace rollup {

RangeDecision RangePlanner::decide(const date::time_zone *zone, const RangeRequest &request, std::optional<SysMicros> firstEvent,
                                   std::optional<SysMicros> lastEvent, SysSeconds now)
{
    RangeDecision out;
    std::optional<date::local_days> from, to;
    if (!request.from.isEmpty()) {
        from = parseLocalDate(request.from, &out.error);
        if (!from) {
            out.error = QStringLiteral("--from: %1").arg(out.error);
            return out;
        }
    }
    if (!request.to.isEmpty()) {
        to = parseLocalDate(request.to, &out.error);
        if (!to) {
            out.error = QStringLiteral("--to: %1").arg(out.error);
            return out;
        }
    }
    if (from && to && *from > *to) {
        out.error = tr("--from %1 is after --to %2").arg(request.from, request.to);
        return out;
    }
    const date::local_days today = DayWindows::today(zone, now);
    if (!from) {
        if (!firstEvent) {
            out.note = tr("the account has no reporting events");
            return out;
        }
        from = DayWindows::localDateOf(zone, *firstEvent);
    }
    if (!to) {
        if (!lastEvent) {
            out.note = tr("the account has no reporting events");
            return out;
        }
        date::local_days last = DayWindows::localDateOf(zone, *lastEvent);
        const date::local_days limit = request.includeToday ? today : today - date::days{1};
        to = last < limit ? last : limit;
    } else if (!request.includeToday && *to >= today) {
        out.error = tr("--to %1 is not a closed day in the account's zone (today there is %2); "
                       "pass --include-today to include it")
                        .arg(request.to, formatLocalDate(today));
        return out;
    }
    if (*from > *to) {
        out.note = tr("no closed days to process (from %1, to %2)").arg(formatLocalDate(*from), formatLocalDate(*to));
        return out;
    }
    out.range = DateRange{*from, *to};
    out.includesToday = *to >= today;
    out.longRange = out.range->days() > kLongRangeDays;
    return out;
}

} // namespace rollup
