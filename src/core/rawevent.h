#pragma once

#include "core/localdate.h"

#include <QString>

#include <optional>

namespace rollup {

// One reporting_events row as the drill-down shows it; NULL columns are nullopt. Plain value.
struct RawEvent
{
    qint64 id = 0;
    QString name;
    std::optional<double> value;
    std::optional<double> valueInBusinessHours;
    std::optional<qint64> userId;
    std::optional<qint64> inboxId;
    std::optional<qint64> conversationId;
    SysMicros createdAt{}; // naive UTC, as stored
};

} // namespace rollup
