#include "db/eventrepository.h"

#include "core/metricregistry.h"
#include "db/connection.h"
#include "db/rollupsql.h"

namespace rollup {

namespace {
std::optional<double> optionalDouble(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}
std::optional<qint64> optionalId(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}
QString utcText(SysSeconds t)
{
    return formatUtcMicros(SysMicros{t});
}
} // namespace

QList<RawEvent> EventRepository::eventsOfKey(qint64 accountId, const DayWindow &window, const QString &dimensionType,
                                             qint64 dimensionId, const QString &metric)
{
    QList<RawEvent> events;
    QStringList names;
    for (const MetricMapping &m : MetricRegistry::mappings())
        if (m.metric == metric && !names.contains(m.eventName))
            names << m.eventName;
    if (names.isEmpty() || !MetricRegistry::dimensionTypes().contains(dimensionType))
        return events;
    QVariantMap p;
    p.insert(QStringLiteral(":account"), accountId);
    p.insert(QStringLiteral(":lo"), utcText(window.start));
    p.insert(QStringLiteral(":hi"), utcText(window.end));
    p.insert(QStringLiteral(":names"), pgArray(names));
    p.insert(QStringLiteral(":dimension_type"), dimensionType);
    p.insert(QStringLiteral(":dimension_id"), dimensionId);
    // The chunks' planner settings: bitmap scans of the account's own index entries, never an
    // index scan of created_at (which holds every account's events of the day).
    m_connection.begin();
    try {
        m_connection.run(RollupSql::chunkSettings());
        QSqlQuery q = m_connection.runNamed(RollupSql::rawEventsOfDay(), p, tr("reading the raw events of a key"));
        readEvents(q, events);
        m_connection.commit();
    } catch (...) {
        m_connection.rollback();
        throw;
    }
    return events;
}

void EventRepository::readEvents(QSqlQuery &q, QList<RawEvent> &events)
{
    while (q.next()) {
        RawEvent e;
        e.id = q.value(0).toLongLong();
        e.name = q.value(1).toString();
        e.value = optionalDouble(q.value(2));
        e.valueInBusinessHours = optionalDouble(q.value(3));
        e.userId = optionalId(q.value(4));
        e.inboxId = optionalId(q.value(5));
        e.conversationId = optionalId(q.value(6));
        if (const auto t = parseUtcTimestamp(q.value(7).toString()))
            e.createdAt = *t;
        events.append(e);
    }
}

} // namespace rollup
