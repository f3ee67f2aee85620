#include "core/comparison.h"

#include <QSet>

#include <cmath>

namespace rollup {

bool Comparison::sumsEqual(double a, double b)
{
    const double scale = std::max({std::fabs(a), std::fabs(b), 1.0});
    return std::fabs(a - b) <= kRelativeTolerance * scale;
}

CompareStatus Comparison::classify(const std::optional<RollupValues> &rollup, const std::optional<RollupValues> &raw)
{
    if (rollup && !raw)
        return CompareStatus::Extra;
    if (!rollup && raw)
        return CompareStatus::Missing;
    if (!rollup && !raw)
        return CompareStatus::Match;
    if (rollup->count == raw->count && sumsEqual(rollup->sumValue, raw->sumValue)
        && sumsEqual(rollup->sumValueBusinessHours, raw->sumValueBusinessHours))
        return CompareStatus::Match;
    return CompareStatus::Mismatch;
}

CompareSummary Comparison::summarize(const QList<CompareRow> &rows)
{
    CompareSummary s;
    QSet<qint64> badDays;
    for (const CompareRow &r : rows) {
        ++s.keys;
        switch (r.status) {
        case CompareStatus::Match:
            ++s.matches;
            break;
        case CompareStatus::Mismatch:
            ++s.mismatches;
            break;
        case CompareStatus::Missing:
            ++s.missing;
            break;
        case CompareStatus::Extra:
            ++s.extra;
            break;
        }
        if (r.status != CompareStatus::Match)
            badDays.insert(r.date.time_since_epoch().count());
    }
    s.daysWithDifferences = badDays.size();
    return s;
}

CompareSummary Comparison::summarize(const QList<DayCounts> &days)
{
    CompareSummary s;
    for (const DayCounts &d : days) {
        s.keys += d.keys;
        s.matches += d.matches;
        s.mismatches += d.mismatches;
        s.missing += d.missing;
        s.extra += d.extra;
        s.daysWithDifferences += d.differs() ? 1 : 0;
    }
    return s;
}

QString Comparison::statusName(CompareStatus status)
{
    switch (status) {
    case CompareStatus::Match:
        return QStringLiteral("match");
    case CompareStatus::Mismatch:
        return QStringLiteral("mismatch");
    case CompareStatus::Missing:
        return QStringLiteral("missing");
    case CompareStatus::Extra:
        return QStringLiteral("extra");
    }
    return {};
}

int Comparison::severity(CompareStatus status)
{
    switch (status) {
    case CompareStatus::Match:
        return 0;
    case CompareStatus::Extra:
        return 1;
    case CompareStatus::Missing:
        return 2;
    case CompareStatus::Mismatch:
        return 3;
    }
    return 0;
}

} // namespace rollup
