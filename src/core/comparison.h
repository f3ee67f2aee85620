#pragma once

#include "core/localdate.h"

#include <QList>
#include <QString>

#include <optional>

namespace rollup {

struct RollupValues
{
    qint64 count = 0;
    double sumValue = 0;
    double sumValueBusinessHours = 0;
};

enum class CompareStatus { Match, Mismatch, Missing, Extra };

// One (date, dimension_type, dimension_id, metric) key: the stored rollup row against the
// raw-event aggregate computed with the backfill's own SQL.
struct CompareRow
{
    date::local_days date;
    QString dimensionType;
    qint64 dimensionId = 0;
    QString metric;
    std::optional<RollupValues> rollup; // stored row
    std::optional<RollupValues> raw; // what a backfill would write
    CompareStatus status = CompareStatus::Match;
};

struct CompareSummary
{
    qint64 keys = 0;
    qint64 matches = 0;
    qint64 mismatches = 0;
    qint64 missing = 0;
    qint64 extra = 0;
    qint64 daysWithDifferences = 0;
    double matchRate() const { return keys ? double(matches) / double(keys) : 1.0; }
    bool clean() const { return matches == keys; }
};

// The keys of one (account, day) by status, as a fleet verify counts them on the server.
struct DayCounts
{
    qint64 accountId = 0;
    date::local_days day{};
    qint64 keys = 0;
    qint64 matches = 0;
    qint64 mismatches = 0;
    qint64 missing = 0;
    qint64 extra = 0;
    bool differs() const { return matches != keys; }
};

// Pure functions.
class Comparison
{
public:
    static constexpr double kRelativeTolerance = 1e-6;
    // match: counts equal and both sums within 1e-6 relative; missing: raw only; extra: rollup only.
    static CompareStatus classify(const std::optional<RollupValues> &rollup, const std::optional<RollupValues> &raw);
    static bool sumsEqual(double a, double b);
    static CompareSummary summarize(const QList<CompareRow> &rows);
    static CompareSummary summarize(const QList<DayCounts> &days);
    static QString statusName(CompareStatus status); // match, mismatch, missing, extra
    // Worse statuses rank higher: match < extra < missing < mismatch.
    static int severity(CompareStatus status);
};

// Stored rollup rows of an account that a verify of [from, to] does not compare: dated before
// `from`, or after `to` except `today` (today's rows are the live path's, still being written).
struct OutsideRows
{
    qint64 rows = 0;
    std::optional<date::local_days> first;
    std::optional<date::local_days> last;
    QList<date::local_days> days; // every such date, sorted (a backfill of them clears the rows)
};

} // namespace rollup
