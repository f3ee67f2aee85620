#pragma once

#include "core/connectionsettings.h"
#include "jobs/backfillengine.h"
#include "jobs/backfillplanner.h"
#include "jobs/job.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <variant>

namespace rollup {

// Which days of the range a backfill rewrites.
enum class BackfillMode {
    AllDays, // every day of the range
    MissingDays, // only days without any rollup row
    DifferingDays, // only the days a verify found different (BackfillPlanRequest::days), within the range
    ListedDays, // exactly BackfillPlanRequest::days (retry, re-backfill from verify); range ignored
};

struct BackfillPlanRequest
{
    qint64 accountId = 0;
    RangeRequest range; // empty from/to: the discovered default (first event .. yesterday)
    BackfillMode mode = BackfillMode::AllDays;
    QList<date::local_days> days; // DifferingDays / ListedDays
};

// What the plan step found. Plain value, safe to hand from a worker thread to the GUI.
struct BackfillPlanOutcome
{
    BackfillPlanRequest request;
    BackfillPlan plan; // plan.windows: exactly the days the mode selected
    QString error; // one line; empty on success
    bool zoneProblem = false; // the account exists but has no usable reporting_timezone
    std::optional<AccountRow> account; // when the account was found (also with zoneProblem)
    int rangeDays = 0; // days of plan.range
    int daysWithRows = -1; // MissingDays: days of the range that already hold rows
    date::local_days today{}; // in the account's zone (valid when the zone is usable)
    SysSeconds todayClosesUtc{}; // start of tomorrow in the account's zone, UTC

    bool ok() const { return error.isEmpty(); }
    QList<date::local_days> selectedDays() const;
};

// What a backfill job delivers, in order: a progress report after every committed chunk, then
// exactly one result.
using BackfillEvent = std::variant<BackfillProgress, BackfillResult>;

// Backfill as the CLI and the GUI use it: plan (discover the range, select the days of a mode),
// then run the plan as a job. Every function opens its own connections (JobContext) and never
// throws: errors are in the outcome or the result.
class BackfillJob
{
    Q_DECLARE_TR_FUNCTIONS(BackfillJob)

public:
    // Plans in the calling thread (never the GUI thread: use startPlan there). Its reads go to
    // the replica when the settings name one (JobContext::forReads).
    static BackfillPlanOutcome prepare(const JobContext &context, const BackfillPlanRequest &request, SysSeconds now);
    static Job<BackfillPlanOutcome> startPlan(const ConnectionSettings &settings, const BackfillPlanRequest &request,
                                              SysSeconds now);

    // Runs `plan` in the calling thread: opens the connection that holds the account's advisory
    // lock (always the primary) and runs BackfillEngine. A connection or lock failure is
    // Outcome::Failed with every day in pendingDays. Refused (`refused`, nothing written) when
    // the server is a standby in recovery, the connection goes through a transaction pool, the
    // lock is held, or the account's zone is no longer the plan's. `progress` as BackfillEngine::run.
    // The console's history (HistoryJournal) gets a "started" record before anything is written
    // and a "finished" record (outcome, days, rows deleted/written, seconds) at the end; a failure
    // to write it is in result.historyError and changes nothing else. Backfills write no Chatwoot
    // audit rows.
    static BackfillResult run(const JobContext &context, const BackfillPlan &plan, const BackfillEngine::ProgressFn &progress,
                              int initialChunkDays = 7, int workers = BackfillEngine::kDefaultWorkers);
    // run() as a job: BackfillEvent progress reports, then the result. `initialChunkDays` is the
    // engine's first chunk (it adapts to ~0.5 s per chunk); 1 gives a first report quickly.
    // `cancel`: a token of the caller's (the CLI's Ctrl-C) instead of a new one.
    static Job<BackfillEvent> start(const ConnectionSettings &settings, const BackfillPlan &plan, int initialChunkDays = 1,
                                    std::shared_ptr<CancelToken> cancel = {});
};

} // namespace rollup

Q_DECLARE_METATYPE(rollup::BackfillProgress)
Q_DECLARE_METATYPE(rollup::BackfillResult)
Q_DECLARE_METATYPE(rollup::BackfillPlanOutcome)
