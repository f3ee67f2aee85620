#include "jobs/backfillengine.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "jobs/job.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace rollup {

QString BackfillResult::summary() const
{
    const int done = int(doneDays.size());
    QString line = QCoreApplication::translate("BackfillEngine",
                                               "%1 of %2 days, %3 rows deleted, %4 rows written, %5 events read, %6 s, %7 s/day")
                       .arg(done)
                       .arg(daysTotal)
                       .arg(rowsDeleted)
                       .arg(rowsWritten)
                       .arg(eventsRead)
                       .arg(seconds, 0, 'f', 2)
                       .arg(done ? seconds / done : 0.0, 0, 'f', 4);
    if (reruns > 0)
        line += QCoreApplication::translate("BackfillEngine", ", %n chunk(s) ran again after colliding with live writes",
                                            nullptr, reruns);
    return line;
}

namespace {

// The run's shared state: which days are handed out, which have reported back, the result so
// far. Every member is guarded by `mutex`.
struct Run
{
    const BackfillPlan &plan;
    const BackfillEngine::ProgressFn &progress;
    QElapsedTimer clock;
    std::mutex mutex;
    qsizetype next = 0; // windows before this index have been handed out
    int chunkDays = 7;
    int workers = 1;
    bool stop = false; // a chunk failed: hand out nothing more
    std::vector<bool> reported; // per window: done, failed or cancelled
    QHash<qint64, qsizetype> indexOf;
    QList<date::local_days> cancelledDays;
    QList<ChunkWrite> committed;
    BackfillResult result;

    Run(const BackfillPlan &p, const BackfillEngine::ProgressFn &fn) : plan(p), progress(fn)
    {
        reported.assign(size_t(plan.windows.size()), false);
        for (qsizetype i = 0; i < plan.windows.size(); ++i)
            indexOf.insert(plan.windows.at(i).day.time_since_epoch().count(), i);
    }

    // Under the lock: the next chunk, cut where a time-zone transition changes how the server
    // buckets days; near the end what is left is shared so the workers finish together.
    QList<DayWindow> take(qsizetype *requested)
    {
        if (stop || next >= plan.windows.size())
            return {};
        const qsizetype remaining = plan.windows.size() - next;
        *requested = std::min<qsizetype>(chunkDays, std::max<qsizetype>(1, (remaining + workers - 1) / workers));
        const qsizetype count = DayWindows::nextChunk(plan.windows, next, *requested);
        QList<DayWindow> chunk = plan.windows.mid(next, count);
        next += count;
        return chunk;
    }

    void markReported(const QList<DayWindow> &chunk)
    {
        for (const DayWindow &w : chunk)
            reported[size_t(indexOf.value(w.day.time_since_epoch().count()))] = true;
    }

    void cancelled(const QList<DayWindow> &chunk)
    {
        markReported(chunk);
        for (const DayWindow &w : chunk)
            cancelledDays.append(w.day);
        if (result.outcome == BackfillResult::Outcome::Completed)
            result.outcome = BackfillResult::Outcome::Cancelled;
    }

    void failed(const QList<DayWindow> &chunk, const QString &error)
    {
        markReported(chunk);
        stop = true;
        if (result.outcome != BackfillResult::Outcome::Failed) {
            result.outcome = BackfillResult::Outcome::Failed;
            result.error = chunk.isEmpty()
                               ? error
                               : QStringLiteral("%1 .. %2: %3")
                                     .arg(formatLocalDate(chunk.first().day), formatLocalDate(chunk.last().day), error);
        }
        for (const DayWindow &w : chunk)
            result.failedDays.append(w.day);
    }

    void done(const QList<DayWindow> &chunk, const ChunkWrite &written, qsizetype requested, double took)
    {
        markReported(chunk);
        // A chunk cut short at a transition says little about the right size.
        if (chunk.size() * 2 >= requested) {
            const double scale = std::clamp(BackfillEngine::kTargetChunkSeconds / std::max(took, 0.001), 0.25, 4.0);
            chunkDays = std::clamp(int(std::lround(double(chunk.size()) * scale)), 1, BackfillEngine::kMaxChunkDays);
        }
        committed.append(written);
        result.rowsDeleted += written.rowsDeleted;
        result.reruns += written.reruns;
        for (const DayWrite &d : written.days) {
            result.doneDays.append(d);
            result.rowsWritten += d.rowsWritten;
            result.eventsRead += d.events;
        }
        if (!progress)
            return;
        BackfillProgress p;
        p.daysDone = int(result.doneDays.size());
        p.daysTotal = result.daysTotal;
        p.currentDay = chunk.last().day;
        p.eventsRead = result.eventsRead;
        p.rowsWritten = result.rowsWritten;
        p.rowsDeleted = result.rowsDeleted;
        p.elapsedSeconds = clock.nsecsElapsed() / 1e9;
        p.daysPerSecond = p.elapsedSeconds > 0 ? p.daysDone / p.elapsedSeconds : 0;
        p.etaSeconds = p.daysPerSecond > 0 ? (p.daysTotal - p.daysDone) / p.daysPerSecond : 0;
        p.chunkSize = chunkDays;
        for (qsizetype i = 0; i < next; ++i)
            if (!reported[size_t(i)])
                p.runningDays.append(plan.windows.at(i).day);
        p.chunkDays = written.days;
        progress(p);
    }
};

// One worker: takes chunks until none is left, the run stops, or the job is cancelled.
void work(const JobContext &context, Connection &connection, Run &run)
{
    RollupWriter writer(connection);
    for (;;) {
        qsizetype requested = 0;
        QList<DayWindow> chunk;
        {
            std::lock_guard lock(run.mutex);
            chunk = run.take(&requested);
            if (chunk.isEmpty())
                return;
            if (context.isCancelled()) {
                run.cancelled(chunk);
                return;
            }
        }
        QElapsedTimer clock;
        clock.start();
        try {
            const ChunkWrite written = writer.replaceDays(run.plan.account.id, chunk);
            std::lock_guard lock(run.mutex);
            run.done(chunk, written, requested, clock.nsecsElapsed() / 1e9);
        } catch (const DbError &e) {
            std::lock_guard lock(run.mutex);
            if (e.isCancel() && context.isCancelled())
                run.cancelled(chunk);
            else
                run.failed(chunk, e.message());
            return;
        }
    }
}

} // namespace

BackfillResult BackfillEngine::run(const JobContext &context, Connection &connection, const BackfillPlan &plan,
                                   const ProgressFn &progress, int initialChunkDays, int workers)
{
    const CancelToken::Scope cancelReachesConnection(*context.cancelToken(), connection.canceller());
    Run run(plan, progress);
    run.clock.start();
    run.result.daysTotal = int(plan.windows.size());
    RollupWriter lockHolder(connection);
    if (const std::optional<QString> holder = lockHolder.tryLockAccount(plan.account.id))
        throw PlanError(*holder);

    run.chunkDays = std::clamp(initialChunkDays, 1, kMaxChunkDays);
    run.workers = int(std::clamp<qsizetype>(std::min<qsizetype>(workers, plan.windows.size()), 1, 8));
    if (!plan.windows.isEmpty()) {
        try {
            context.inParallel(
                run.workers, [&](Connection &c, int) { work(context, c, run); }, &connection,
                [&run]() {
                    std::lock_guard lock(run.mutex);
                    run.stop = true;
                });
        } catch (const DbError &e) { // a worker's connection did not open, or a cancel stopped its opening
            std::lock_guard lock(run.mutex);
            if (e.isCancel() && context.isCancelled())
                run.cancelled({});
            else
                run.failed({}, e.message());
        }
    }

    BackfillResult &result = run.result;
    std::sort(result.doneDays.begin(), result.doneDays.end(), [](const DayWrite &a, const DayWrite &b) { return a.day < b.day; });
    std::sort(result.failedDays.begin(), result.failedDays.end());
    result.pendingDays = run.cancelledDays;
    for (qsizetype i = run.next; i < plan.windows.size(); ++i)
        result.pendingDays.append(plan.windows.at(i).day);
    std::sort(result.pendingDays.begin(), result.pendingDays.end());
    if (result.outcome == BackfillResult::Outcome::Completed && context.isCancelled() && !result.pendingDays.isEmpty())
        result.outcome = BackfillResult::Outcome::Cancelled;
    // Once every chunk has ended: which committed days did another session (Chatwoot's live
    // path) write meanwhile? Writes after this point are outside what the run can see.
    try {
        result.liveTouchedDays = lockHolder.daysChangedByOthers(plan.account.id, run.committed);
    } catch (const DbError &e) {
        if (result.outcome == BackfillResult::Outcome::Completed) {
            result.outcome = BackfillResult::Outcome::Failed;
            result.error = e.message();
        }
    }
    lockHolder.unlockAccount(plan.account.id);
    result.seconds = run.clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
