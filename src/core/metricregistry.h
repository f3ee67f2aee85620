#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace rollup {

// How a rollup metric aggregates its events (docs/rollups.md §2).
enum class Payload { Count, Duration };

// One row of Chatwoot's EventMetricRegistry: a raw event name feeds one rollup metric.
struct MetricMapping
{
    QString eventName;
    QString metric;
    Payload payload;
    bool distinctConversations; // COUNT(DISTINCT conversation_id) instead of COUNT(*)
};

// The one source of truth for event -> metric mapping and dimensions. Every SQL statement and
// every view that names an event, a metric or a dimension type reads it from here.
// All functions are pure and thread-safe.
class MetricRegistry
{
public:
    // In Chatwoot's event_names order; conversation_resolved yields two mappings.
    static const QList<MetricMapping> &mappings();
    static QStringList eventNames(); // the five rolled-up event names
    static QStringList standardEventNames(); // those counted with COUNT(*)
    static QStringList distinctEventNames(); // those counted with COUNT(DISTINCT conversation_id)
    static QStringList metricNames(); // the six rollup metrics, unique, registry order
    static QList<MetricMapping> metricsFor(const QString &eventName);
    static bool isDurationMetric(const QString &metric);
    static bool isKnownMetric(const QString &metric);
    // Dimension types the backfill writes, in Chatwoot's DIMENSIONS order.
    static QStringList dimensionTypes(); // account, agent, inbox
};

} // namespace rollup
