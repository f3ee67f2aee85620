#include "jobs/fleet.h"

#include "core/statedirectory.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/serverstatus.h"
#include "db/rollupwriter.h"
#include "db/verifyrepository.h"
#include "jobs/fleetjournal.h"
#include "jobs/fleetplan.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>

namespace rollup {

namespace {

using Clock = std::chrono::steady_clock;

// One batch while it runs. Guarded by Run::mutex.
struct Batch
{
    QList<FleetItem *> items;
    QHash<qint64, FleetItem *> byId;
    QHash<qint64, qsizetype> nextWindow; // per account: its first window not handed out yet
    QSet<qint64> excluded;               // locked by another session, or failed: no more chunks
    date::local_days cursor{};           // the next chunk starts here
    date::local_days last{};
    int chunkDays = 7;
    int inFlight = 0;
    bool exhausted = false;
    QList<ChunkWrite> committed;                 // backfill: for the live-touched check
    QHash<qint64, QList<DayCounts>> counts;      // verify (and backfill of differing days)
    QHash<qint64, QSet<qint64>> daysDone;        // backfill: days committed per account
    QHash<qint64, QString> failures;
    QSet<qint64> cancelled;
};

// A chunk handed to a worker: the days [from, to] of the batch's accounts.
struct Chunk
{
    QList<AccountDays> scope;
    qint64 weight = 0; // estimated events, for progress and the rate
    int days = 0;      // (account, day)s
};

struct Run
{
    const JobContext &context;
    const FleetRequest &request;
    const std::function<void(const FleetProgress &)> &progress;
    std::mutex mutex;
    std::condition_variable changed;
    Batch *batch = nullptr;
    bool finished = false; // no more batches
    QString fatal;         // the run cannot go on
    FleetProgress totals;
    QElapsedTimer clock;
    qint64 lastReport = -1000;
    qint64 weightTotal = 0;
    qint64 weightDone = 0;
    QList<FleetAccount> changedSince;

    Run(const JobContext &c, const FleetRequest &r, const std::function<void(const FleetProgress &)> &p)
        : context(c), request(r), progress(p)
    {
    }

    bool stopping() const { return context.isCancelled() || !fatal.isEmpty(); }

    // Under the lock. Reports at most every 250 ms unless `force`.
    void report(bool force)
    {
        const qint64 now = clock.elapsed();
        if (!progress || (!force && now - lastReport < 250))
            return;
        lastReport = now;
        FleetProgress p = totals;
        if (request.mode == FleetMode::Verify)
            p.eventsRead = weightDone; // verify counts keys on the server: events are estimated from the accounts' sizes
        p.elapsedSeconds = now / 1000.0;
        p.eventsPerSecond = p.elapsedSeconds > 0 ? p.eventsRead / p.elapsedSeconds : 0;
        const double rate = p.elapsedSeconds > 0 ? weightDone / p.elapsedSeconds : 0;
        p.etaSeconds = rate > 0 ? double(weightTotal - weightDone) / rate : 0;
        p.changed = std::exchange(changedSince, {});
        progress(p);
    }

    void changedAccount(const FleetAccount &a) { changedSince.append(a); }

    // Under the lock: the next chunk of the current batch, or nothing.
    std::optional<Chunk> take()
    {
        Batch &b = *batch;
        while (!b.exhausted) {
            const date::local_days from = b.cursor;
            const date::local_days to = std::min(b.last, from + date::days{b.chunkDays - 1});
            b.cursor = to + date::days{1};
            if (b.cursor > b.last)
                b.exhausted = true;
            Chunk chunk;
            for (FleetItem *item : std::as_const(b.items)) {
                const qint64 id = item->account.accountId;
                if (b.excluded.contains(id))
                    continue;
                qsizetype &i = b.nextWindow[id];
                AccountDays part{id, {}};
                while (i < item->windows.size() && item->windows.at(i).day <= to)
                    part.windows.append(item->windows.at(i++));
                if (part.windows.isEmpty())
                    continue;
                chunk.days += int(part.windows.size());
                chunk.weight += item->windows.isEmpty() ? 0 : item->account.events * part.windows.size() / item->windows.size();
                chunk.scope.append(part);
            }
            if (!chunk.scope.isEmpty()) {
                ++b.inFlight;
                return chunk;
            }
        }
        return std::nullopt;
    }
};

// A worker: takes chunks of the current batch until the run ends.
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
        {
            std::unique_lock lock(run.mutex);
            // Timed: a cancel (the job's token) does not notify this condition.
            run.changed.wait_for(lock, std::chrono::milliseconds(200), [&] {
                return run.finished || run.stopping() || (run.batch && !run.batch->exhausted);
            });
            if (run.stopping() || (run.finished && !run.batch))
                return;
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
                    scope.erase(std::remove_if(scope.begin(), scope.end(), [](const AccountDays &a) { return a.windows.isEmpty(); }),
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
                for (const DayCounts &d : std::as_const(counts))
                    b.counts[d.accountId].append(d);
                if (written) {
                    b.committed.append(*written);
                    for (const DayWrite &d : std::as_const(written->days)) {
                        b.daysDone[d.accountId].insert(d.day.time_since_epoch().count());
                        run.totals.eventsRead += d.events;
                        run.totals.rowsWritten += d.rowsWritten;
                    }
                    // Days a differing-only run found equal count as done too.
                    if (differing)
                        for (const AccountDays &a : std::as_const(chunk->scope))
                            for (const DayWindow &w : a.windows)
                                b.daysDone[a.accountId].insert(w.day.time_since_epoch().count());
                }
                run.totals.daysDone += chunk->days;
                run.weightDone += chunk->weight;
                // Statements of about kTargetChunkSeconds: big enough that per-statement costs do
                // not count, small enough for a quick cancel and smooth progress.
                const double scale = std::clamp(FleetRunner::kTargetChunkSeconds / std::max(took, 0.001), 0.25, 4.0);
                b.chunkDays = std::clamp(int(std::lround(b.chunkDays * scale)), 1, 366);
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

// Takes the advisory locks of a batch's accounts on `connection`; returns those another session
// holds, with a one-line description of the holder.
QHash<qint64, QString> lockBatch(Connection &connection, const QList<FleetItem *> &items)
{
    QStringList ids;
    for (const FleetItem *item : items)
        ids << QString::number(item->account.accountId);
    QSqlQuery q = connection.run(QStringLiteral("SELECT a.id, pg_try_advisory_lock(?::int, a.id) FROM unnest(?::int[]) AS a(id)"),
                                 {RollupWriter::kLockClass, QStringLiteral("{%1}").arg(ids.join(QLatin1Char(',')))},
                                 FleetRunner::tr("locking the batch's accounts"));
    QList<qint64> held;
    while (q.next())
        if (!q.value(1).toBool())
            held.append(q.value(0).toLongLong());
    QHash<qint64, QString> out;
    RollupWriter writer(connection);
    for (qint64 id : held)
        out.insert(id, writer.lockHolder(id));
    return out;
}

void unlockBatch(Connection &connection, const QList<qint64> &ids) noexcept
{
    QStringList text;
    for (qint64 id : ids)
        text << QString::number(id);
    try {
        connection.run(QStringLiteral("SELECT pg_advisory_unlock(?::int, a.id) FROM unnest(?::int[]) AS a(id)"),
                       {RollupWriter::kLockClass, QStringLiteral("{%1}").arg(text.join(QLatin1Char(',')))});
    } catch (...) {
        // The session ending releases the locks anyway.
    }
}

// The coordinator: publishes the batches one after the other, holds a backfill batch's locks
// while it runs, and closes each account's line when its batch has ended.
void coordinate(Run &run, Connection &connection, QList<QList<FleetItem *>> &batches, FleetJournal *journal)
{
    const bool backfill = run.request.mode == FleetMode::Backfill;
    for (QList<FleetItem *> &items : batches) {
        if (run.stopping())
            break;
        Batch batch;
        QList<qint64> locked;
        QHash<qint64, QString> heldByOthers;
        if (backfill && !run.request.dryRun) {
            try {
                heldByOthers = lockBatch(connection, items);
            } catch (const DbError &e) {
                std::lock_guard lock(run.mutex);
                run.fatal = e.message();
                break;
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
                locked.append(id);
            item->account.status = FleetStatus::Running;
            if (!item->windows.isEmpty()) {
                batch.cursor = any ? std::min(batch.cursor, item->windows.first().day) : item->windows.first().day;
                batch.last = any ? std::max(batch.last, item->windows.last().day) : item->windows.last().day;
                any = true;
            }
        }
        batch.items = items;
        batch.exhausted = !any;
        {
            std::unique_lock lock(run.mutex);
            for (FleetItem *item : items)
                run.changedAccount(item->account);
            run.report(true);
            run.batch = &batch;
            run.changed.notify_all();
            while (!((batch.exhausted || run.stopping()) && batch.inFlight == 0))
                run.changed.wait_for(lock, std::chrono::milliseconds(200)); // a cancel does not notify
            run.batch = nullptr;
        }
        run.changed.notify_all();
        QList<std::pair<qint64, date::local_days>> touched;
        if (backfill && !batch.committed.isEmpty()) {
            try {
                touched = RollupWriter(connection).daysChangedByOthers(batch.committed);
            } catch (const DbError &e) {
                std::lock_guard lock(run.mutex);
                if (run.fatal.isEmpty() && !run.context.isCancelled())
                    run.fatal = e.message();
            }
        }
        if (!locked.isEmpty())
            unlockBatch(connection, locked);

        std::lock_guard lock(run.mutex);
        for (FleetItem *item : items) {
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
                a.daysDone = int(batch.daysDone.value(id).size());
                a.status = a.daysDone == a.days ? FleetStatus::Done : FleetStatus::Cancelled;
            }
            if (backfill) {
                for (const ChunkWrite &c : std::as_const(batch.committed))
                    for (const DayWrite &d : c.days)
                        if (d.accountId == id) {
                            a.rowsWritten += d.rowsWritten;
                            a.eventsRead += d.events;
                        }
                for (const auto &[account, day] : std::as_const(touched))
                    if (account == id)
                        a.liveTouchedDays.append(day);
            }
            if (a.status != FleetStatus::Cancelled && a.status != FleetStatus::Locked && a.status != FleetStatus::Failed) {
                ++run.totals.accountsDone;
                QString error;
                if (journal && !journal->append(a, &error) && run.fatal.isEmpty())
                    run.fatal = error;
            }
            run.changedAccount(a);
        }
        run.report(true);
    }
    std::lock_guard lock(run.mutex);
    run.finished = true;
    run.changed.notify_all();
}

} // namespace

int FleetResult::exitCode() const
{
    if (cancelled)
        return 130;
    bool differs = false, failed = !error.isEmpty();
    for (const FleetAccount &a : accounts) {
        differs = differs || a.status == FleetStatus::Differs;
        failed = failed || a.status == FleetStatus::Failed || a.status == FleetStatus::Locked;
    }
    bool verify = false;
    for (const FleetAccount &a : accounts)
        verify = verify || a.status == FleetStatus::Match || a.status == FleetStatus::Differs;
    if (verify)
        return failed ? 2 : differs ? 1 : 0;
    return failed ? 1 : 0;
}

QString FleetRunner::statusName(FleetStatus status)
{
    switch (status) {
    case FleetStatus::Queued: return QStringLiteral("queued");
    case FleetStatus::Running: return QStringLiteral("running");
    case FleetStatus::Match: return QStringLiteral("match");
    case FleetStatus::Differs: return QStringLiteral("differs");
    case FleetStatus::Done: return QStringLiteral("done");
    case FleetStatus::Skipped: return QStringLiteral("skipped");
    case FleetStatus::Locked: return QStringLiteral("locked");
    case FleetStatus::Failed: return QStringLiteral("error");
    case FleetStatus::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

QString FleetRunner::defaultJournalPath(const ConnectionSettings &settings, FleetMode mode)
{
    return StateDirectory::path(QStringLiteral("fleet")) + QLatin1Char('/') + StateDirectory::databaseKey(settings)
        + (mode == FleetMode::Verify ? QStringLiteral("-verify.jsonl") : QStringLiteral("-backfill.jsonl"));
}

FleetResult FleetRunner::run(const JobContext &context, const FleetRequest &request,
                             const std::function<void(const FleetProgress &)> &progress)
{
    FleetResult result;
    QElapsedTimer clock;
    clock.start();
    result.journalPath = request.journalPath.isEmpty() ? defaultJournalPath(context.settings(), request.mode) : request.journalPath;
    try {
        // Verify and a dry run only read: a replica serves them when the settings name one. A
        // backfill plans, locks and writes on the primary, and never on a standby.
        const bool readsOnly = request.mode == FleetMode::Verify || request.dryRun;
        const JobContext target = readsOnly ? context.forReads() : context;
        const std::unique_ptr<Connection> coordinator = target.connect();
        if (!readsOnly)
            ServerStatus::requirePrimary(*coordinator);
        FleetJournal journal;
        QHash<qint64, FleetAccount> finished;
        if (!request.dryRun) {
            QString error;
            if (!journal.open(result.journalPath, request.mode, request.resume, &error)) {
                result.error = error;
                return result;
            }
            finished = journal.finished();
        }
        if (progress) {
            FleetProgress p;
            p.phase = QStringLiteral("planning");
            progress(p);
        }
        QList<FleetItem> items = FleetPlanner::plan(*coordinator, request, finished);
        QList<QList<FleetItem *>> batches = FleetPlanner::batches(items, std::clamp(request.batchAccounts, 1, 5000));
        Run run(target, request, progress);
        run.clock.start();
        run.totals.phase = QStringLiteral("running");
        for (const FleetItem &item : std::as_const(items)) {
            if (item.account.finished())
                continue;
            ++run.totals.accountsTotal;
            run.totals.daysTotal += item.windows.size();
            run.weightTotal += item.account.events;
        }
        if (!request.dryRun) {
            target.inParallel(
                std::clamp(request.workers, 1, 16) + 1,
                [&](Connection &c, int worker) {
                    if (worker == 0)
                        coordinate(run, c, batches, &journal);
                    else
                        work(run, c);
                },
                coordinator.get(),
                [&run]() {
                    std::lock_guard lock(run.mutex);
                    if (run.fatal.isEmpty())
                        run.fatal = tr("a worker's connection failed");
                    run.changed.notify_all();
                });
            result.error = run.fatal;
            result.busySeconds = run.totals.busySeconds;
            run.totals.phase = QStringLiteral("done");
            std::lock_guard lock(run.mutex);
            run.report(true);
        }
        for (const FleetItem &item : std::as_const(items))
            result.accounts.append(item.account);
    } catch (const DbError &e) {
        result.error = e.message();
    }
    result.cancelled = context.isCancelled();
    result.seconds = clock.nsecsElapsed() / 1e9;
    return result;
}

Job<FleetEvent> FleetRunner::start(const ConnectionSettings &settings, const FleetRequest &request, std::shared_ptr<CancelToken> cancel)
{
    return Jobs::start<FleetEvent>(
        settings,
        [request](JobContext &context, QPromise<FleetEvent> &promise) {
            FleetResult result = run(context, request, [&promise](const FleetProgress &p) { promise.addResult(FleetEvent{p}); });
            promise.addResult(FleetEvent{std::move(result)});
        },
        std::move(cancel));
}

} // namespace rollup
