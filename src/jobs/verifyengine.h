#pragma once

#include "core/comparison.h"
#include "db/verifyrepository.h"
#include "jobs/backfillplanner.h"

namespace rollup {

struct VerifyRequest
{
    qint64 accountId = 0;
    RangeRequest range;
};

struct VerifyResult
{
    BackfillPlan plan; // account, zone, range and windows (same defaults as backfill)
    QList<CompareRow> rows; // every key of the range, sorted by date, dimension, id, metric
    CompareSummary summary;
    // Stored rows the range leaves out (not today's): stale rows a whole-history verify must
    // not ignore, e.g. days bucketed in an earlier time zone. Not part of `summary`.
    OutsideRows outside;
    double seconds = 0;
};

class Connection;
class JobContext;

// Verify = the backfill's aggregation joined with the stored rows (VerifyRepository), over the
// backfill's default range. The range is split into chunks compared by `workers` connections
// at once: `connection` in the calling thread plus workers-1 of their own (context.inParallel).
// Nothing is returned unless every chunk succeeded: throws PlanError / DbError (SQLSTATE 57014
// when the context is cancelled, which reaches every worker's statement in flight).
class VerifyEngine
{
public:
    static constexpr int kMaxChunkDays = 120;
    static constexpr int kDefaultWorkers = 2;
    static VerifyResult run(const JobContext &context, Connection &connection, const VerifyRequest &request, SysSeconds now,
                            int workers = kDefaultWorkers);
};

} // namespace rollup
