#pragma once

#include "core/daywindow.h"
#include "core/rawevent.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace rollup {

class Connection;

// Read-only access to raw events for the verify drill-down. Runs in the calling thread on
// `connection`; throws DbError. Every value is bound (RollupSql::rawEventsOfDay).
class EventRepository
{
    Q_DECLARE_TR_FUNCTIONS(EventRepository)

public:
    static constexpr int kRowLimit = 10000; // the statement's LIMIT

    explicit EventRepository(Connection &connection) : m_connection(connection) { }

    // The events of `accountId` inside `window` that feed (dimensionType, dimensionId, metric):
    // the metric's event names from MetricRegistry; account = every event, agent = user_id,
    // inbox = inbox_id. Unknown metrics and dimension types the backfill never writes (team)
    // have no feeding events: empty result, no statement. Sorted by created_at, id; at most
    // kRowLimit rows.
    QList<RawEvent> eventsOfKey(qint64 accountId, const DayWindow &window, const QString &dimensionType, qint64 dimensionId,
                                const QString &metric);

private:
    static void readEvents(QSqlQuery &q, QList<RawEvent> &events);
    Connection &m_connection;
};

} // namespace rollup
