#include "core/metricregistry.h"

namespace rollup {

const QList<MetricMapping> &MetricRegistry::mappings()
{
    static const QList<MetricMapping> table = {
        {QStringLiteral("conversation_resolved"), QStringLiteral("resolutions_count"), Payload::Count, false},
        {QStringLiteral("conversation_resolved"), QStringLiteral("resolution_time"), Payload::Duration, false},
        {QStringLiteral("first_response"), QStringLiteral("first_response"), Payload::Duration, false},
        {QStringLiteral("reply_time"), QStringLiteral("reply_time"), Payload::Duration, false},
        {QStringLiteral("conversation_bot_resolved"), QStringLiteral("bot_resolutions_count"), Payload::Count, false},
        {QStringLiteral("conversation_bot_handoff"), QStringLiteral("bot_handoffs_count"), Payload::Count, true},
    };
    return table;
}

static QStringList uniqueEventNames(int distinctFilter)
{
    QStringList names;
    for (const MetricMapping &m : MetricRegistry::mappings()) {
        if (distinctFilter == 1 && !m.distinctConversations)
            continue;
        if (distinctFilter == 0 && m.distinctConversations)
            continue;
        if (!names.contains(m.eventName))
            names.append(m.eventName);
    }
    return names;
}

QStringList MetricRegistry::eventNames()
{
    return uniqueEventNames(-1);
}
QStringList MetricRegistry::standardEventNames()
{
    return uniqueEventNames(0);
}
QStringList MetricRegistry::distinctEventNames()
{
    return uniqueEventNames(1);
}

QStringList MetricRegistry::metricNames()
{
    QStringList names;
    for (const MetricMapping &m : mappings())
        if (!names.contains(m.metric))
            names.append(m.metric);
    return names;
}

QList<MetricMapping> MetricRegistry::metricsFor(const QString &eventName)
{
    QList<MetricMapping> result;
    for (const MetricMapping &m : mappings())
        if (m.eventName == eventName)
            result.append(m);
    return result;
}

bool MetricRegistry::isDurationMetric(const QString &metric)
{
    for (const MetricMapping &m : mappings())
        if (m.metric == metric)
            return m.payload == Payload::Duration;
    return false;
}

bool MetricRegistry::isKnownMetric(const QString &metric)
{
    return metricNames().contains(metric);
}

QStringList MetricRegistry::dimensionTypes()
{
    return {QStringLiteral("account"), QStringLiteral("agent"), QStringLiteral("inbox")};
}

} // namespace rollup
