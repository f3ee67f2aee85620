#pragma once

#include "db/rollupwriter.h"
#include "jobs/backfillplanner.h"

#include <QList>
#include <QString>

#include <functional>

namespace rollup {

class Connection;
class JobContext;

struct BackfillProgress
{
    int daysDone = 0;
    int daysTotal = 0;
    date::local_days currentDay{}; // last day of the chunk just finished
    qint64 eventsRead = 0;
    qint64 rowsWritten = 0;
    qint64 rowsDeleted = 0;
    double elapsedSeconds = 0;
    double daysPerSecond = 0;
    double etaSeconds = 0;
    int chunkSize = 0;
    QList<DayWrite> chunkDays; // the days this report finished
    QList<date::local_days> runningDays; // the next chunk, about to start
};

struct BackfillResult
{
    enum class Outcome { Completed, Cancelled, Failed };
    Outcome outcome = Outcome::Completed;
    QString error; // one line, for Failed
    bool refused = false; // Failed before anything was written: lock held, a standby, a transaction pool, the zone changed
    QList<DayWrite> doneDays; // committed, in order
    QList<date::local_days> failedDays; // the chunk that failed (old rows kept)
    QList<date::local_days> pendingDays; // never attempted (cancelled / after a failure)
    // Committed days whose rows another session wrote or changed while or after their chunk ran,
    // up to the end of the run (Chatwoot's live upserts; RollupWriter::daysChangedByOthers):
    // they may differ from their events and should be verified. Every other committed day holds
    // exactly the rows its chunk computed.
    QList<date::local_days> liveTouchedDays;
    int daysTotal = 0;
    qint64 eventsRead = 0;
    qint64 rowsWritten = 0;
    qint64 rowsDeleted = 0;
    int reruns = 0; // chunk transactions that ran again after colliding with live writes (ChunkWrite::reruns)
    double seconds = 0;
    QString historyError; // BackfillJob: the history journal could not be written (the run is unaffected)
    QString summary() const; // rake-like summary line
};

// Runs a plan chunk by chunk. `connection` (the caller's, used in the calling thread) holds the
// account's advisory lock for the whole run — throws PlanError at once when another backfill
// holds it — and is the first of `workers` connections that write chunks (the others are opened
// by context.inParallel, each in its own thread). Each chunk is one transaction
// (RollupWriter::replaceDays) and chunk size adapts to ~0.5 s. Chunks cover disjoint days, so
// every day ends with all of its old rows or all of its new rows whatever fails. `progress` is
// called after every committed chunk, from the worker that committed it, one call at a time.
// Cancelling the context's token stops handing out chunks and cancels the statements in flight
// on the server; cancelled chunks keep their old rows.
class BackfillEngine
{
public:
    using ProgressFn = std::function<void(const BackfillProgress &)>;
    static constexpr double kTargetChunkSeconds = 0.5;
    static constexpr int kMaxChunkDays = 200;
    static constexpr int kDefaultWorkers = 2;

    static BackfillResult run(const JobContext &context, Connection &connection, const BackfillPlan &plan,
                              const ProgressFn &progress, int initialChunkDays = 7, int workers = kDefaultWorkers);
};

} // namespace rollup
