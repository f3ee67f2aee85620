#pragma once

#include "core/comparison.h"
#include "jobs/backfillplanner.h"

namespace rollup {

struct VerifyRequest
{
    qint64 accountId = 0;
    RangeRequest range;
};

struct VerifyResult
{
    BackfillPlan plan;          // account, zone, range and windows (same defaults as backfill)
    QList<CompareRow> rows;     // every key of the range, sorted by date, dimension, id, metric
    CompareSummary summary;
    double seconds = 0;
};

// Verify = the backfill's aggregation joined with the stored rows (VerifyRepository), over the
// backfill's default range. Runs in the calling thread; throws PlanError / DbError.
class VerifyEngine
{
public:
    static VerifyResult run(Connection &connection, const VerifyRequest &request, SysSeconds now);
};

} // namespace rollup
