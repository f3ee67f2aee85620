#include "jobs/backfillengine.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "jobs/canceltoken.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <algorithm>
#include <cmath>

namespace rollup {

QString BackfillResult::summary() const
{
    const int done = int(doneDays.size());
    return QCoreApplication::translate("BackfillEngine", "%1 of %2 days, %3 rows deleted, %4 rows written, %5 events read, %6 s, %7 s/day")
        .arg(done).arg(daysTotal).arg(rowsDeleted).arg(rowsWritten).arg(eventsRead)
        .arg(seconds, 0, 'f', 2)
        .arg(done ? seconds / done : 0.0, 0, 'f', 4);
}

namespace {

// Hands out chunks to the workers and carries their reports back to the coordinating thread.
struct Dispatch
{
    struct Report
    {
        enum class Kind { Done, Failed, Cancelled, WorkerExit } kind;
        QList<DayWindow> chunk;
        ChunkWrite written;
        QString error;
    };

    std::mutex mutex;
    std::condition_variable changed;
    qsizetype next = 0;
    int chunkDays = 7;
    int workers = 1;
    bool stop = false;
    std::deque<Report> reports;

    void push(Report r)
    {
        {
            std::lock_guard lock(mutex);
            reports.push_back(std::move(r));
        }
        changed.notify_all();
    }
};

void workerLoop(const ConnectionSettings &settings, qint64 accountId, const QList<DayWindow> &windows,
                Dispatch &dispatch, CancelToken *cancel)
{
    using Kind = Dispatch::Report::Kind;
    std::shared_ptr<StatementCanceller> canceller;
    try {
        Connection connection(settings);
        canceller = connection.canceller();
        if (cancel)
            cancel->attach(canceller);
        RollupWriter writer(connection);
        for (;;) {
            QList<DayWindow> chunk;
            qsizetype requested = 0;
            {
                std::lock_guard lock(dispatch.mutex);
                if (dispatch.stop || dispatch.next >= windows.size())
                    break;
                // Cut where a time-zone transition changes how the server buckets the days.
                // Near the end, share what is left so the workers finish together.
                const qsizetype remaining = windows.size() - dispatch.next;
                requested = std::min<qsizetype>(dispatch.chunkDays, std::max<qsizetype>(1, (remaining + dispatch.workers - 1) / dispatch.workers));
                const qsizetype count = DayWindows::nextChunk(windows, dispatch.next, requested);
                chunk = windows.mid(dispatch.next, count);
                dispatch.next += count;
            }
            if (cancel && cancel->isCancelled()) {
                dispatch.push({Kind::Cancelled, chunk, {}, {}});
                break;
            }
            QElapsedTimer clock;
            clock.start();
            try {
                ChunkWrite written = writer.replaceDays(accountId, chunk);
                const double took = std::max(clock.nsecsElapsed() / 1e9, 0.001);
                // A chunk cut short at a transition says little about the right size.
                if (chunk.size() * 2 >= requested) {
                    std::lock_guard lock(dispatch.mutex);
                    const double scale = std::clamp(BackfillEngine::kTargetChunkSeconds / took, 0.25, 4.0);
                    const int proposed = int(std::lround(double(chunk.size()) * scale));
                    dispatch.chunkDays = std::clamp(proposed, 1, BackfillEngine::kMaxChunkDays);
                }
                dispatch.push({Kind::Done, chunk, std::move(written), {}});
            } catch (const DbError &e) {
                if (e.isCancel() && cancel && cancel->isCancelled()) {
                    dispatch.push({Kind::Cancelled, chunk, {}, {}});
                } else {
                    dispatch.push({Kind::Failed, chunk, {}, e.message()});
                    std::lock_guard lock(dispatch.mutex);
                    dispatch.stop = true;
                }
                break;
            }
        }
    } catch (const DbError &e) {
        dispatch.push({Kind::Failed, {}, {}, e.message()});
        std::lock_guard lock(dispatch.mutex);
        dispatch.stop = true;
    }
    if (cancel && canceller)
        cancel->detach(canceller);
    dispatch.push({Kind::WorkerExit, {}, {}, {}});
}

} // namespace

BackfillResult BackfillEngine::run(Connection &connection, const BackfillPlan &plan, CancelToken *cancel,
                                   const ProgressFn &progress, int initialChunkDays, int workers)
{
    using Kind = Dispatch::Report::Kind;
    BackfillResult result;
    result.daysTotal = int(plan.windows.size());
    QElapsedTimer clock;
    clock.start();
    RollupWriter lockHolder(connection);
    if (const std::optional<QString> holder = lockHolder.tryLockAccount(plan.account.id))
        throw PlanError(*holder);

    Dispatch dispatch;
    dispatch.chunkDays = std::clamp(initialChunkDays, 1, kMaxChunkDays);
    const int threads = int(std::clamp<qsizetype>(std::min<qsizetype>(workers, plan.windows.size()), 1, 8));
    dispatch.workers = threads;
    std::vector<std::thread> pool;
    const ConnectionSettings settings = connection.settings();
    for (int i = 0; i < threads && !plan.windows.isEmpty(); ++i)
        pool.emplace_back(workerLoop, std::cref(settings), plan.account.id, std::cref(plan.windows), std::ref(dispatch), cancel);

    QList<date::local_days> cancelledDays;
    QList<ChunkWrite> committed;
    // Which days have reported back (done, failed or cancelled); the rest of those handed
    // out are running.
    QHash<qint64, qsizetype> indexOf;
    for (qsizetype i = 0; i < plan.windows.size(); ++i)
        indexOf.insert(plan.windows.at(i).day.time_since_epoch().count(), i);
    std::vector<bool> reported(size_t(plan.windows.size()), false);
    auto markReported = [&](const QList<DayWindow> &chunk) {
        for (const DayWindow &w : chunk)
            reported[size_t(indexOf.value(w.day.time_since_epoch().count()))] = true;
    };
    int exited = 0;
    while (exited < int(pool.size())) {
        Dispatch::Report report;
        {
            std::unique_lock lock(dispatch.mutex);
            dispatch.changed.wait(lock, [&dispatch] { return !dispatch.reports.empty(); });
            report = std::move(dispatch.reports.front());
            dispatch.reports.pop_front();
        }
        markReported(report.chunk);
        switch (report.kind) {
        case Kind::WorkerExit:
            ++exited;
            break;
        case Kind::Cancelled:
            for (const DayWindow &w : report.chunk)
                cancelledDays.append(w.day);
            if (result.outcome == BackfillResult::Outcome::Completed)
                result.outcome = BackfillResult::Outcome::Cancelled;
            break;
        case Kind::Failed:
            if (result.outcome != BackfillResult::Outcome::Failed) {
                result.outcome = BackfillResult::Outcome::Failed;
                result.error = report.chunk.isEmpty()
                    ? report.error
                    : QStringLiteral("%1 .. %2: %3").arg(formatLocalDate(report.chunk.first().day),
                                                          formatLocalDate(report.chunk.last().day), report.error);
            }
            for (const DayWindow &w : report.chunk)
                result.failedDays.append(w.day);
            break;
        case Kind::Done: {
            result.rowsDeleted += report.written.rowsDeleted;
            for (const DayWrite &d : report.written.days) {
                result.doneDays.append(d);
                result.rowsWritten += d.rowsWritten;
                result.eventsRead += d.events;
            }
            if (progress) {
                BackfillProgress p;
                p.daysDone = int(result.doneDays.size());
                p.daysTotal = result.daysTotal;
                p.currentDay = report.chunk.last().day;
                p.eventsRead = result.eventsRead;
                p.rowsWritten = result.rowsWritten;
                p.rowsDeleted = result.rowsDeleted;
                p.elapsedSeconds = clock.nsecsElapsed() / 1e9;
                p.daysPerSecond = p.elapsedSeconds > 0 ? p.daysDone / p.elapsedSeconds : 0;
                p.etaSeconds = p.daysPerSecond > 0 ? (p.daysTotal - p.daysDone) / p.daysPerSecond : 0;
                {
                    std::lock_guard lock(dispatch.mutex);
                    p.chunkSize = dispatch.chunkDays;
                    for (qsizetype i = 0; i < dispatch.next; ++i)
                        if (!reported[size_t(i)])
                            p.runningDays.append(plan.windows.at(i).day);
                }
                p.chunkDays = report.written.days;
                progress(p);
            }
            committed.append(report.written);
            break;
        }
        }
    }
    for (std::thread &t : pool)
        t.join();

    std::sort(result.doneDays.begin(), result.doneDays.end(), [](const DayWrite &a, const DayWrite &b) { return a.day < b.day; });
    std::sort(result.failedDays.begin(), result.failedDays.end());
    result.pendingDays = cancelledDays;
    for (qsizetype i = dispatch.next; i < plan.windows.size(); ++i)
        result.pendingDays.append(plan.windows.at(i).day);
    std::sort(result.pendingDays.begin(), result.pendingDays.end());
    if (result.outcome == BackfillResult::Outcome::Completed && cancel && cancel->isCancelled() && !result.pendingDays.isEmpty())
        result.outcome = BackfillResult::Outcome::Cancelled;
    // Once every chunk has ended: which committed days did another session (Chatwoot's live
    // path) write meanwhile? Writes after this point are outside what the run can see.
    try {
        result.liveTouchedDays = lockHolder.daysChangedByOthers(plan.account.id, committed);
    } catch (const DbError &e) {
        if (result.outcome == BackfillResult::Outcome::Completed) {
            result.outcome = BackfillResult::Outcome::Failed;
            result.error = e.message();
        }
    }
    lockHolder.unlockAccount(plan.account.id);
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
