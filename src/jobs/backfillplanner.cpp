#include "jobs/backfillplanner.h"

#include "db/connection.h"

#include <date/tz.h>

#include <algorithm>

namespace rollup {

namespace {
QString localTime(const date::time_zone *zone, const std::optional<SysMicros> &t)
{
    return t ? DayWindows::localTimeText(zone, *t) : QStringLiteral("-");
}
} // namespace

std::pair<AccountRow, ZoneResolution> BackfillPlanner::accountWithZone(Connection &connection, qint64 accountId)
{
    if (accountId <= 0 || accountId > 2147483647)
        throw PlanError(tr("account id %1 is out of range").arg(accountId));
    AccountRepository accounts(connection);
    const std::optional<AccountRow> account = accounts.find(accountId);
    if (!account)
        throw PlanError(tr("account %1 not found").arg(accountId));
    const ZoneResolution zone = account->zone();
    if (zone.state == ZoneResolution::State::NotSet)
        throw PlanError(tr("account %1 (%2) has no reporting_timezone: set one first with "
                           "`rollup-console set-timezone --account %1 --timezone NAME`")
                            .arg(account->id)
                            .arg(account->name));
    if (!zone.usable())
        throw PlanError(
            tr("account %1 (%2) has an invalid reporting_timezone: %3").arg(account->id).arg(account->name, zone.reason));
    return {*account, zone};
}

BackfillPlan BackfillPlanner::plan(Connection &connection, const BackfillRequest &request, SysSeconds now)
{
    auto [account, zone] = accountWithZone(connection, request.accountId);
    BackfillPlan p;
    p.account = account;
    p.zone = zone;
    AccountRepository accounts(connection);
    p.span = accounts.eventSpan(account.id);
    const date::local_days today = DayWindows::today(zone.zone, now);
    if (!request.days.isEmpty()) {
        QList<date::local_days> days = request.days;
        std::sort(days.begin(), days.end());
        days.erase(std::unique(days.begin(), days.end()), days.end());
        for (date::local_days d : days)
            p.windows.append(DayWindows::window(zone.zone, d));
        p.range = DateRange{days.first(), days.last()};
        p.includesToday = days.last() >= today;
    } else {
        const RangeDecision decision = RangePlanner::decide(zone.zone, request.range, p.span.first, p.span.last, now);
        if (!decision.error.isEmpty())
            throw PlanError(decision.error);
        if (!decision.range) {
            p.note = decision.note;
            return p;
        }
        p.range = *decision.range;
        p.includesToday = decision.includesToday;
        p.longRange = decision.longRange;
        p.windows = DayWindows::windows(zone.zone, p.range.from, p.range.to);
    }
    if (request.countEvents && !p.windows.isEmpty())
        p.eventsInRange = accounts.countEvents(account.id, p.windows.first().start, p.windows.last().end, p.span);
    return p;
}

QString BackfillPlan::describe() const
{
    QStringList lines;
    lines << tr("account:        %1 (%2)").arg(account.id).arg(account.name);
    lines << tr("timezone:       stored '%1', resolved %2").arg(account.storedTimezoneText(), zone.ianaId);
    if (windows.isEmpty()) {
        lines << tr("range:          none (%1)").arg(note);
        return lines.join(QLatin1Char('\n'));
    }
    lines << tr("range:          %1 .. %2 (%3 days%4)")
                 .arg(formatLocalDate(range.from), formatLocalDate(range.to))
                 .arg(windows.size())
                 .arg(windows.size() != range.days() ? tr(" selected of %1").arg(range.days()) : QString());
    lines << tr("UTC window:     %1 .. %2").arg(formatUtcInstant(windows.first().start), formatUtcInstant(windows.last().end));
    lines << tr("first event:    %1").arg(localTime(zone.zone, span.first));
    lines << tr("last event:     %1").arg(localTime(zone.zone, span.last));
    if (eventsInRange >= 0)
        lines << tr("events in range: %1").arg(eventsInRange);
    if (includesToday)
        lines << tr("warning:        the range includes today: Chatwoot's live upserts for today race the backfill");
    if (longRange)
        lines << tr("note:           the range is longer than %1 days").arg(RangePlanner::kLongRangeDays);
    return lines.join(QLatin1Char('\n'));
}

} // namespace rollup
