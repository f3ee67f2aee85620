#include "jobs/backfillengine.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "jobs/canceltoken.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace rollup {

QString BackfillResult::summary() const
{
    const int done = int(doneDays.size());
    return QStringLiteral("%1 of %2 days, %3 rows deleted, %4 rows written, %5 events read, %6 s, %7 s/day")
        .arg(done).arg(daysTotal).arg(rowsDeleted).arg(rowsWritten).arg(eventsRead)
        .arg(seconds, 0, 'f', 2)
        .arg(done ? seconds / done : 0.0, 0, 'f', 4);
}

BackfillResult BackfillEngine::run(Connection &connection, const BackfillPlan &plan, CancelToken *cancel,
                                   const ProgressFn &progress, int initialChunkDays)
{
    BackfillResult result;
    result.daysTotal = int(plan.windows.size());
    QElapsedTimer clock;
    clock.start();
    RollupWriter writer(connection);
    if (const std::optional<QString> holder = writer.tryLockAccount(plan.account.id))
        throw PlanError(*holder);
    if (cancel)
        cancel->attach(connection.canceller());

    int chunkDays = std::clamp(initialChunkDays, 1, kMaxChunkDays);
    qsizetype next = 0;
    const qsizetype total = plan.windows.size();
    while (next < total) {
        if (cancel && cancel->isCancelled()) {
            result.outcome = BackfillResult::Outcome::Cancelled;
            break;
        }
        const qsizetype count = std::min<qsizetype>(chunkDays, total - next);
        const QList<DayWindow> chunk = plan.windows.mid(next, count);
        QElapsedTimer chunkClock;
        chunkClock.start();
        try {
            const ChunkWrite written = writer.replaceDays(plan.account.id, chunk);
            result.rowsDeleted += written.rowsDeleted;
            for (const DayWrite &d : written.days) {
                result.doneDays.append(d);
                result.rowsWritten += d.rowsWritten;
                result.eventsRead += d.events;
            }
            next += count;
            const double took = std::max(chunkClock.nsecsElapsed() / 1e9, 0.001);
            const double scale = std::clamp(kTargetChunkSeconds / took, 0.25, 4.0);
            chunkDays = std::clamp(int(std::lround(chunkDays * scale)), 1, kMaxChunkDays);

            if (progress) {
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
                p.chunkDays = written.days;
                for (qsizetype i = next; i < std::min<qsizetype>(next + chunkDays, total); ++i)
                    p.runningDays.append(plan.windows.at(i).day);
                progress(p);
            }
        } catch (const DbError &e) {
            if (e.isCancel() && cancel && cancel->isCancelled()) {
                result.outcome = BackfillResult::Outcome::Cancelled;
            } else {
                result.outcome = BackfillResult::Outcome::Failed;
                result.error = QStringLiteral("%1 .. %2: %3")
                                   .arg(formatLocalDate(chunk.first().day), formatLocalDate(chunk.last().day), e.message());
                for (const DayWindow &w : chunk)
                    result.failedDays.append(w.day);
                next += count;
            }
            break;
        }
    }
    for (qsizetype i = next; i < total; ++i)
        result.pendingDays.append(plan.windows.at(i).day);
    if (cancel)
        cancel->detach();
    writer.unlockAccount(plan.account.id);
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

} // namespace rollup
