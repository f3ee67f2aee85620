#include "jobs/fleetrun.h"

#include "core/healthstore.h"
#include "core/localdate.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/verifyrepository.h"
#include "jobs/fleetjournal.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <utility>

namespace rollup::fleet {

namespace {

AccountHealth healthOf(const FleetAccount &a, SysSeconds now)
{
    AccountHealth h;
    h.accountId = a.accountId;
    h.checkedAt = QDateTime::fromSecsSinceEpoch(now.time_since_epoch().count(), Qt::UTC);
    h.summary = a.summary;
    h.firstDay = toQDate(a.range->from).toString(Qt::ISODate);
    h.lastDay = toQDate(a.range->to).toString(Qt::ISODate);
    h.wholeHistory = true;
    return h;
}

// An ended batch's check for other sessions' writes (its chunks are all committed), its result
// kept in the batch; a cancel leaves no error.
void runCheck(Run &run, RollupWriter &writer, Batch &batch)
{
    QList<std::pair<qint64, date::local_days>> touched;
    QString error;
    try {
        touched = writer.daysChangedByOthers(batch.committed);
    } catch (const DbError &e) {
        if (!(e.isCancel() && run.context.isCancelled()))
            error = e.message();
    }
    {
        std::lock_guard lock(run.mutex);
        batch.touched = std::move(touched);
        batch.checkError = error;
        batch.checkDone = true;
    }
    run.changed.notify_all();
}

} // namespace

void work(Run &run, Connection &connection)
{
    const bool verify = run.request.mode == FleetMode::Verify;
    const bool differing = run.request.mode == FleetMode::Backfill && run.request.days == FleetDays::Differing;
    RollupWriter writer(connection);
    VerifyRepository compare(connection);
    for (;;) {
        run.context.suspendIfRequested();
        std::optional<Chunk> chunk;
        Batch *batch = nullptr;
        Batch *check = nullptr;
        {
            std::unique_lock lock(run.mutex);
            // Timed: a cancel (the job's token) does not notify this condition.
            run.changed.wait_for(lock, std::chrono::milliseconds(200), [&] {
                return run.finished || run.stopping() || (run.batch && !run.batch->exhausted) || run.checkReady();
            });
            if (run.stopping() || (run.finished && !run.batch))
                return;
            check = run.takeCheck();
        }
        if (check) {
            runCheck(run, writer, *check);
            continue;
        }
        {
            std::unique_lock lock(run.mutex);
            if (!run.batch || run.batch->exhausted)
                continue;
            batch = run.batch;
            chunk = run.take();
            if (!chunk) {
                run.changed.notify_all();
                continue;
            }
        }
        const auto started = Clock::now();
        QList<DayCounts> counts;
        std::optional<ChunkWrite> written;
        QString failure;
        bool cancelled = false;
        try {
            if (verify || differing)
                counts = compare.countDays(chunk->scope);
            if (!verify) {
                QList<AccountDays> scope = chunk->scope;
                if (differing) {
                    QSet<std::pair<qint64, qint64>> bad;
                    for (const DayCounts &d : std::as_const(counts))
                        if (d.differs())
                            bad.insert({d.accountId, d.day.time_since_epoch().count()});
                    for (AccountDays &a : scope)
                        a.windows.erase(std::remove_if(a.windows.begin(), a.windows.end(),
                                                       [&](const DayWindow &w) {
                                                           return !bad.contains({a.accountId, w.day.time_since_epoch().count()});
                                                       }),
                                        a.windows.end());
                    scope.erase(
                        std::remove_if(scope.begin(), scope.end(), [](const AccountDays &a) { return a.windows.isEmpty(); }),
                        scope.end());
                }
                written = writer.replaceDays(scope);
            }
        } catch (const DbError &e) {
            if (e.isCancel() && run.context.isCancelled()) {
                cancelled = true;
            } else {
                failure = e.message();
                if (e.isConnectionLoss()) { // the run cannot go on; the next start resumes
                    std::lock_guard lock(run.mutex);
                    if (run.fatal.isEmpty())
                        run.fatal = e.message();
                }
            }
        }
        const double took = std::chrono::duration<double>(Clock::now() - started).count();
        {
            std::lock_guard lock(run.mutex);
            Batch &b = *batch;
            --b.inFlight;
            run.totals.busySeconds += took;
            if (cancelled) {
                for (const AccountDays &a : std::as_const(chunk->scope))
                    b.cancelled.insert(a.accountId);
            } else if (!failure.isEmpty()) {
                for (const AccountDays &a : std::as_const(chunk->scope)) {
                    b.excluded.insert(a.accountId);
                    if (!b.failures.contains(a.accountId))
                        b.failures.insert(a.accountId, failure);
                }
            } else {
                if (verify)
                    for (const DayCounts &d : std::as_const(counts))
                        b.counts[d.accountId].append(d);
                if (written) {
                    run.totals.reruns += written->reruns;
                    for (const DayWrite &d : std::as_const(written->days)) {
                        run.totals.eventsRead += d.events;
                        run.totals.rowsWritten += d.rowsWritten;
                    }
                    written->dropEmptyDays();
                    b.committed.append(std::move(*written));
                    // Every day of the chunk is done (a differing-only run's equal days too):
                    // each day is in exactly one chunk of its batch.
                    for (const AccountDays &a : std::as_const(chunk->scope))
                        b.daysDone[a.accountId] += int(a.windows.size());
                }
                run.totals.daysDone += chunk->days;
                run.weightDone += chunk->weight;
                // Statements of about kTargetChunkSeconds: big enough that per-statement costs do
                // not count, small enough for a quick cancel and smooth progress.
                const double scale = std::clamp(FleetRunner::kTargetChunkSeconds / std::max(took, 0.001), 0.25, 4.0);
                b.chunkDays = std::clamp(int(std::lround(b.chunkDays * scale)), 1, FleetRunner::kMaxChunkDays);
            }
            run.report(false);
        }
        run.changed.notify_all();
        // The duty cycle: after `took` seconds of work, rest so work is at most F of the time.
        if (run.request.dutyCycle < 1.0 && !cancelled) {
            const auto rest = std::chrono::duration<double>(took * (1.0 - run.request.dutyCycle) / run.request.dutyCycle);
            std::unique_lock lock(run.mutex);
            run.changed.wait_for(lock, rest, [&] { return run.stopping(); });
        }
    }
}

namespace {

// A batch the coordinator has published, with the accounts it locked for it.
struct OpenBatch
{
    std::unique_ptr<Batch> batch = std::make_unique<Batch>();
    QList<qint64> locked;
};

// Locks (a backfill) and plans the batch's accounts. False when the run cannot go on.
bool openBatch(Run &run, Connection &connection, QList<FleetItem *> &items, OpenBatch &open)
{
    const bool backfill = run.request.mode == FleetMode::Backfill;
    Batch &batch = *open.batch;
    QHash<qint64, QString> heldByOthers;
    if (backfill && !run.request.dryRun) {
        try {
            QList<qint64> ids;
            for (const FleetItem *item : items)
                ids.append(item->account.accountId);
            heldByOthers = RollupWriter(connection).tryLockAccounts(ids);
        } catch (const DbError &e) {
            std::lock_guard lock(run.mutex);
            if (run.fatal.isEmpty())
                run.fatal = e.message();
            return false;
        }
    }
    bool any = false;
    for (FleetItem *item : items) {
        const qint64 id = item->account.accountId;
        batch.byId.insert(id, item);
        if (heldByOthers.contains(id)) {
            item->account.status = FleetStatus::Locked;
            item->account.note = heldByOthers.value(id);
            batch.excluded.insert(id);
            continue;
        }
        if (backfill)
            open.locked.append(id);
        item->account.status = FleetStatus::Running;
        FleetPlanner::materialize(*item);
        if (!item->windows.isEmpty()) {
            batch.cursor = any ? std::min(batch.cursor, item->windows.first().day) : item->windows.first().day;
            batch.last = any ? std::max(batch.last, item->windows.last().day) : item->windows.last().day;
            any = true;
        }
    }
    batch.items = items;
    batch.exhausted = !any;
    return true;
}

// Under the lock: until the batch has no chunk in flight (a cancel does not notify).
void waitIdle(Run &run, std::unique_lock<std::mutex> &lock, const Batch &batch)
{
    while (batch.inFlight > 0)
        run.changed.wait_for(lock, std::chrono::milliseconds(200));
}

// After the batch's last chunk: the days others changed, the locks released, each account's
// line closed (journal, health board).
void closeBatch(Run &run, Connection &connection, OpenBatch &open, FleetJournal *journal)
{
    const bool backfill = run.request.mode == FleetMode::Backfill;
    Batch &batch = *open.batch;
    QList<std::pair<qint64, date::local_days>> touched;
    bool check = false;
    bool checkHere = false;
    {
        std::unique_lock lock(run.mutex);
        waitIdle(run, lock, batch);
        run.checks.removeOne(&batch);
        // Only now are the batch's chunks all committed (it may be closed while its last ones
        // run); a check a worker has taken is waited for whatever it finds, as it reads the batch.
        check = backfill && (!batch.committed.isEmpty() || batch.checkTaken);
        checkHere = check && !std::exchange(batch.checkTaken, true);
    }
    if (checkHere) {
        RollupWriter writer(connection);
        runCheck(run, writer, batch);
    }
    if (check) {
        std::unique_lock lock(run.mutex);
        while (!batch.checkDone) // a worker runs it (a cancel does not notify)
            run.changed.wait_for(lock, std::chrono::milliseconds(200));
        touched = std::move(batch.touched);
        if (!batch.checkError.isEmpty() && run.fatal.isEmpty() && !run.context.isCancelled())
            run.fatal = batch.checkError;
    }
    if (!open.locked.isEmpty())
        RollupWriter(connection).unlockAccounts(open.locked);

    // Rows written and events read per account, and the days others changed, in one pass.
    QHash<qint64, std::pair<qint64, qint64>> written;
    for (const ChunkWrite &c : std::as_const(batch.committed))
        for (const DayWrite &d : c.days) {
            std::pair<qint64, qint64> &w = written[d.accountId];
            w.first += d.rowsWritten;
            w.second += d.events;
        }
    batch.committed.clear();
    QHash<qint64, QList<date::local_days>> touchedDays;
    for (const auto &[account, day] : std::as_const(touched))
        touchedDays[account].append(day);

    QList<FleetAccount> lines; // the journal's
    QList<AccountHealth> health;
    std::unique_lock lock(run.mutex);
    for (FleetItem *item : std::as_const(batch.items)) {
        FleetAccount &a = item->account;
        const qint64 id = a.accountId;
        if (a.status == FleetStatus::Locked)
            ;
        else if (batch.failures.contains(id)) {
            a.status = FleetStatus::Failed;
            a.note = batch.failures.value(id);
        } else if (!backfill) {
            const QList<DayCounts> &days = batch.counts.value(id);
            const bool complete = !batch.cancelled.contains(id) && !run.stopping();
            a.summary = Comparison::summarize(days);
            a.differingDays.clear();
            for (const DayCounts &d : days)
                if (d.differs())
                    a.differingDays.append(d.day);
            std::sort(a.differingDays.begin(), a.differingDays.end());
            a.status = !complete ? FleetStatus::Cancelled : a.summary.clean() ? FleetStatus::Match : FleetStatus::Differs;
        } else {
            a.daysDone = batch.daysDone.value(id);
            a.status = a.daysDone == a.days ? FleetStatus::Done : FleetStatus::Cancelled;
        }
        if (backfill) {
            const std::pair<qint64, qint64> w = written.value(id);
            a.rowsWritten += w.first;
            a.eventsRead += w.second;
            a.liveTouchedDays.append(touchedDays.value(id));
        }
        if (a.status != FleetStatus::Cancelled && a.status != FleetStatus::Locked && a.status != FleetStatus::Failed) {
            ++run.totals.accountsDone;
            lines.append(a);
        }
        run.changedAccount(a);
        if (!backfill && (a.status == FleetStatus::Match || a.status == FleetStatus::Differs) && a.range)
            health.append(healthOf(a, run.request.now));
    }
    run.report(true);
    lock.unlock();
    // The files are written outside the lock: the workers go on taking chunks of the next batch
    // meanwhile (a batch's 500 lines reach the disk with one fsync).
    QString error;
    if (journal && !journal->append(lines, &error)) {
        const std::lock_guard relock(run.mutex);
        if (run.fatal.isEmpty())
            run.fatal = error;
    }
    if (!health.isEmpty() && !run.request.dryRun) {
        // The health board's memory; a file that cannot be written does not stop the run.
        if (!HealthStore(run.healthPath).record(health, &error))
            qWarning("health board: %s", qPrintable(error));
    }
}


} // namespace

void coordinate(Run &run, Connection &connection, QList<QList<FleetItem *>> &batches, FleetJournal *journal)
{
    // Batches overlap: once a batch has handed out its last chunk, the next one is opened and
    // published while that chunk still runs. An ended batch is closed (its check for others'
    // writes, its unlocks and journal lines) once its chunks are committed and its check is done;
    // a free worker runs the check (the largest batch's takes seconds), so the workers never wait
    // for a batch's slowest chunk or its closing. The next batch's day windows are computed while
    // the current one runs; an ended batch's are freed at once.
    const bool backfill = run.request.mode == FleetMode::Backfill;
    constexpr qsizetype kMaxEnded = 2; // ended batches not closed yet, at most
    std::deque<OpenBatch> ended;
    // Under the lock: whether the oldest ended batch can be closed without waiting.
    auto closable = [&]() {
        if (ended.empty())
            return false;
        const Batch &b = *ended.front().batch;
        return b.inFlight == 0 && (!backfill || b.committed.isEmpty() || b.checkDone);
    };
    // Closes the ended batches in order: those that need no wait and, waiting for them, the
    // oldest beyond the last `keep`.
    auto closeEnded = [&](qsizetype keep) {
        while (!ended.empty()) {
            if (qsizetype(ended.size()) <= keep) {
                std::lock_guard lock(run.mutex);
                if (!closable())
                    return;
            }
            closeBatch(run, connection, ended.front(), journal);
            ended.pop_front();
        }
    };
    for (qsizetype i = 0; i < batches.size(); ++i) {
        if (run.stopping())
            break;
        QList<FleetItem *> &items = batches[i];
        OpenBatch current;
        if (!openBatch(run, connection, items, current))
            break;
        {
            std::lock_guard lock(run.mutex);
            for (FleetItem *item : items)
                run.changedAccount(item->account);
            run.report(true);
            run.batch = current.batch.get();
        }
        run.changed.notify_all();
        // No ended batch is the published one now: closing frees them.
        closeEnded(kMaxEnded);
        if (i + 1 < batches.size())
            for (FleetItem *item : std::as_const(batches[i + 1]))
                FleetPlanner::materialize(*item);
        {
            std::unique_lock lock(run.mutex);
            for (;;) {
                run.changed.wait_for(lock, std::chrono::milliseconds(200), // a cancel does not notify
                                     [&] { return current.batch->exhausted || run.stopping() || closable(); });
                if (current.batch->exhausted || run.stopping())
                    break;
                lock.unlock();
                closeEnded(kMaxEnded);
                lock.lock();
            }
            if (run.stopping()) {
                run.batch = nullptr;
                waitIdle(run, lock, *current.batch);
            } else if (backfill) {
                run.checks.append(current.batch.get());
            }
            for (FleetItem *item : std::as_const(current.batch->items))
                FleetPlanner::release(*item); // no chunk is taken from an ended batch
        }
        run.changed.notify_all();
        ended.push_back(std::move(current));
    }
    {
        std::lock_guard lock(run.mutex);
        run.batch = nullptr;
    }
    run.changed.notify_all();
    closeEnded(0);
    std::lock_guard lock(run.mutex);
    run.finished = true;
    run.changed.notify_all();
}

} // namespace rollup::fleet
