#pragma once

#include "jobs/fleet.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

namespace rollup {

class Connection;

// One account as a fleet run plans it: its line of the result and the day windows to work on.
struct FleetItem
{
    FleetAccount account;
    QList<DayWindow> windows; // the selected days, sorted
};

// The first half of a fleet run, in the calling thread on `connection`: the selected accounts,
// their zones, event counts and spans (index probes), each account's default range and selected
// days, and the order (largest first). Accounts that cannot run are returned finished
// (skipped, with the reason), and so are those in `finished` (an interrupted run's journal),
// with their recorded line. Throws DbError.
class FleetPlanner
{
    Q_DECLARE_TR_FUNCTIONS(FleetPlanner)

public:
    static QList<FleetItem> plan(Connection &connection, const FleetRequest &request,
                                 const QHash<qint64, FleetAccount> &finished = {});
    // Splits the runnable items (in order) into batches of at most `accounts` each.
    static QList<QList<FleetItem *>> batches(QList<FleetItem> &items, int accounts);
};

} // namespace rollup
