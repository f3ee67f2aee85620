#pragma once

#include "core/daywindow.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace rollup {

struct DateRange
{
    date::local_days from;
    date::local_days to;
    int days() const { return from > to ? 0 : int((to - from).count()) + 1; }
};

// Options a backfill or verify run is asked for (CLI flags or the GUI's plan form).
struct RangeRequest
{
    QString from; // YYYY-MM-DD or empty for the default
    QString to; // YYYY-MM-DD or empty for the default
    bool includeToday = false;
};

// Result of turning a request into concrete dates (docs/rollups.md §6.2).
struct RangeDecision
{
    std::optional<DateRange> range; // nullopt: nothing to do (see `note`) or error
    QString error; // one-line refusal; range is nullopt
    QString note; // e.g. "no events", "no closed days yet"
    bool includesToday = false; // the range reaches today's local date (races live upserts)
    bool longRange = false; // more than 730 days
};

// Pure; `firstEvent`/`lastEvent` are the account's first and last reporting_events.created_at
// (nullopt when it has none).
class RangePlanner
{
    Q_DECLARE_TR_FUNCTIONS(RangePlanner)

public:
    static constexpr int kLongRangeDays = 730;
    static RangeDecision decide(const date::time_zone *zone, const RangeRequest &request, std::optional<SysMicros> firstEvent,
                                std::optional<SysMicros> lastEvent, SysSeconds now);
};

} // namespace rollup
