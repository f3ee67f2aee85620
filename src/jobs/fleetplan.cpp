#include "jobs/fleetplan.h"

#include "core/rangeplan.h"
#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupdays.h"
#include "jobs/job.h"

#include <QSet>

#include <algorithm>
#include <memory>
#include <mutex>

namespace rollup {

QList<FleetItem> FleetPlanner::plan(const JobContext &context, Connection &connection, const FleetRequest &request,
                                    const QHash<qint64, FleetAccount> &finished)
{
    AccountRepository accounts(connection);
    QList<FleetItem> items;
    QList<qint64> runnable;
    QHash<qint64, ZoneResolution> zones;
    for (const AccountRow &row : accounts.list()) {
        if (!request.accounts.contains(row.id))
            continue;
        FleetItem item;
        item.account.accountId = row.id;
        item.account.name = row.name;
        const ZoneResolution zone = row.zone();
        if (const auto it = finished.constFind(row.id); it != finished.cend()) {
            item.account = *it; // finished by the interrupted run: its line as recorded
            item.account.note = tr("finished before the interruption");
        } else if (zone.state == ZoneResolution::State::NotSet) {
            item.account.status = FleetStatus::Skipped;
            item.account.note = tr("no reporting_timezone");
        } else if (!zone.usable()) {
            item.account.status = FleetStatus::Skipped;
            item.account.note = tr("invalid reporting_timezone: %1").arg(zone.reason);
        } else {
            runnable.append(row.id);
            zones.insert(row.id, zone);
        }
        items.append(item);
    }

    // Event counts (for the order) and spans, a batch of accounts per statement, on two
    // connections at once: a server's probes are the time a run waits before its first chunk.
    QHash<qint64, qint64> counts;
    QHash<qint64, AccountStats> spans;
    std::mutex mutex;
    context.inParts(
        runnable, kProbeBatch, kProbeConnections,
        [&](Connection &c) {
            return [&, probes = std::make_shared<AccountRepository>(c)](const QList<qint64> &part) {
                const QHash<qint64, qint64> partCounts = probes->eventCounts(part);
                const QHash<qint64, AccountStats> partSpans = probes->stats(part);
                const std::lock_guard lock(mutex);
                counts.insert(partCounts);
                spans.insert(partSpans);
            };
        },
        &connection);
    if (context.isCancelled()) // between two statements: as if the next one had been cancelled
        throw DbError(tr("planning cancelled"), QStringLiteral("57014"));
    QHash<qint64, QList<date::local_days>> withRows;
    if (request.mode == FleetMode::Backfill && request.days == FleetDays::Missing)
        withRows = RollupDays::daysWithRows(connection, runnable);

    for (FleetItem &item : items) {
        if (item.account.finished())
            continue;
        const qint64 id = item.account.accountId;
        const ZoneResolution zone = zones.value(id);
        const AccountStats span = spans.value(id);
        item.account.events = counts.value(id);
        const RangeDecision decision
            = RangePlanner::decide(zone.zone, RangeRequest{}, span.events.first, span.events.last, request.now);
        if (!decision.range) {
            item.account.status = FleetStatus::Skipped;
            item.account.note = decision.error.isEmpty() ? decision.note : decision.error;
            continue;
        }
        item.account.range = *decision.range;
        if (request.mode == FleetMode::Verify || request.days != FleetDays::Missing) {
            item.wholeRangeZone = zone.zone;
            item.account.days = int((decision.range->to - decision.range->from).count()) + 1;
            continue;
        }
        item.windows = DayWindows::windows(zone.zone, decision.range->from, decision.range->to);
        if (const auto it = withRows.constFind(id); it != withRows.cend()) {
            QSet<qint64> have;
            for (date::local_days d : *it)
                have.insert(d.time_since_epoch().count());
            item.windows.erase(
                std::remove_if(item.windows.begin(), item.windows.end(),
                               [&](const DayWindow &w) { return have.contains(w.day.time_since_epoch().count()); }),
                item.windows.end());
            if (item.windows.isEmpty()) {
                item.account.status = FleetStatus::Skipped;
                item.account.note = tr("every day of the range has rollup rows");
            }
        }
        item.account.days = int(item.windows.size());
    }
    // Largest first; the skipped ones keep their place at the end, by id.
    std::stable_sort(items.begin(), items.end(), [](const FleetItem &a, const FleetItem &b) {
        const bool ra = !a.account.finished(), rb = !b.account.finished();
        if (ra != rb)
            return ra;
        if (ra && a.account.events != b.account.events)
            return a.account.events > b.account.events;
        return a.account.accountId < b.account.accountId;
    });
    return items;
}

void FleetPlanner::materialize(FleetItem &item)
{
    if (item.wholeRangeZone && item.account.range && item.windows.isEmpty())
        item.windows = DayWindows::windows(item.wholeRangeZone, item.account.range->from, item.account.range->to);
}

void FleetPlanner::release(FleetItem &item)
{
    if (item.wholeRangeZone)
        item.windows = QList<DayWindow>();
}

QList<QList<FleetItem *>> FleetPlanner::batches(QList<FleetItem> &items, int accounts)
{
    QList<QList<FleetItem *>> out;
    for (FleetItem &item : items) {
        if (item.account.finished())
            continue;
        if (out.isEmpty() || out.last().size() >= accounts)
            out.append(QList<FleetItem *>());
        out.last().append(&item);
    }
    return out;
}

} // namespace rollup
