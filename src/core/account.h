#pragma once

#include "core/localdate.h"
#include "core/zoneresolver.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace rollup {

// One row of Chatwoot's accounts table, as the console reads it. Plain value.
struct AccountRow
{
    qint64 id = 0;
    QString name;
    bool settingsNull = false;
    QJsonValue storedTimezone{QJsonValue::Undefined}; // undefined when the key is absent
    qint64 featureFlags = 0;
    ZoneResolution zone() const { return ZoneResolver::resolve(storedTimezone); }
    QString storedTimezoneText() const; // raw, as stored (JSON text for non-strings), "" when absent
};

// First and last reporting_events.created_at of an account (naive UTC).
struct EventSpan
{
    std::optional<SysMicros> first;
    std::optional<SysMicros> last;
};

// Which local days of an account hold rollup rows.
struct RollupCoverage
{
    qint64 rows = 0; // -1: not counted (statistics of many accounts read only the first and last date)
    std::optional<date::local_days> first;
    std::optional<date::local_days> last;
    qint64 days = 0; // -1: not counted
};

// Per-account statistics for the accounts table.
struct AccountStats
{
    qint64 accountId = 0;
    RollupCoverage rollups;
    EventSpan events;

    // How a day is written: ISO (formatLocalDate) by default; the window passes its locale's.
    using DayFormat = QString (*)(date::local_days);

    // The local calendar day of an event instant in the account's zone ("2026-03-08"); when the
    // zone is not usable the UTC date with a " UTC" suffix; "" when there is no instant.
    static QString eventDayText(const std::optional<SysMicros> &instant, const ZoneResolution &zone,
                                DayFormat format = formatLocalDate);
    // "2026-01-01 .. 2026-03-09", "" when there are no rollup rows.
    static QString coverageText(const RollupCoverage &coverage, DayFormat format = formatLocalDate);
};

} // namespace rollup
