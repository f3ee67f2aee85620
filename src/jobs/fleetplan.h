#pragma once

#include "jobs/fleet.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

namespace rollup {

class Connection;
class JobContext;

// One account as a fleet run plans it: its line of the result and the day windows to work on.
struct FleetItem
{
    FleetAccount account;
    QList<DayWindow> windows; // the selected days, sorted
    // Set when the selected days are the account's whole range: `windows` is then filled only
    // while the account's batch runs (FleetPlanner::materialize), so that a run over thousands of
    // accounts with years of days each never holds all their windows at once.
    const date::time_zone *wholeRangeZone = nullptr;
};

// The first half of a fleet run, in the calling thread on `connection`: the selected accounts,
// their zones, event counts and spans (index probes, kProbeBatch accounts per statement, on
// `connection` and kProbeConnections - 1 more of `context`), each account's default range and
// selected days, and the order (largest first). Accounts that cannot run are returned finished
// (skipped, with the reason), and so are those in `finished` (an interrupted run's journal),
// with their recorded line. Throws DbError.
class FleetPlanner
{
    Q_DECLARE_TR_FUNCTIONS(FleetPlanner)

public:
    static constexpr qsizetype kProbeBatch = 250;
    static constexpr int kProbeConnections = 2;
    static QList<FleetItem> plan(const JobContext &context, Connection &connection, const FleetRequest &request,
                                 const QHash<qint64, FleetAccount> &finished = {});
    // Splits the runnable items (in order) into batches of at most `accounts` each.
    static QList<QList<FleetItem *>> batches(QList<FleetItem> &items, int accounts);
    // The windows of an item planned as its whole range, computed for its batch; and freed after.
    static void materialize(FleetItem &item);
    static void release(FleetItem &item);
};

} // namespace rollup
