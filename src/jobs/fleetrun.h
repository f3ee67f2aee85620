#pragma once

// The fleet run's moving parts, shared by the coordinator and the workers (fleetworker.cpp) and
// the entry point (fleetrunner.cpp). Internal to src/jobs.

#include "core/comparison.h"
#include "db/rollupwriter.h"
#include "jobs/fleet.h"
#include "jobs/fleetplan.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rollup {

class Connection;
class FleetJournal;

namespace fleet {

using Clock = std::chrono::steady_clock;

// One batch while it runs. Guarded by Run::mutex.
struct Batch
{
    QList<FleetItem *> items;
    QHash<qint64, FleetItem *> byId;
    QHash<qint64, qsizetype> nextWindow; // per account: its first window not handed out yet
    QSet<qint64> excluded; // locked by another session, or failed: no more chunks
    date::local_days cursor{}; // the next chunk starts here
    date::local_days last{};
    int chunkDays = 7;
    int inFlight = 0;
    bool exhausted = false;
    QList<ChunkWrite> committed; // backfill: for the live-touched check
    QHash<qint64, QList<DayCounts>> counts; // verify (and backfill of differing days)
    QHash<qint64, int> daysDone; // backfill: days committed per account
    QHash<qint64, QString> failures;
    QSet<qint64> cancelled;
    // Backfill: the check for other sessions' writes, once the batch has ended (no chunk left, none
    // in flight). A free worker runs it (Run::takeCheck) while the others go on with the next
    // batch; the coordinator runs it itself when it closes the batch before any worker took it.
    bool checkTaken = false;
    bool checkDone = false;
    QList<std::pair<qint64, date::local_days>> touched; // its result
    QString checkError;
};

// A chunk handed to a worker: the days [from, to] of the batch's accounts.
struct Chunk
{
    QList<AccountDays> scope;
    qint64 weight = 0; // estimated events, for progress and the rate
    int days = 0; // (account, day)s
};

struct Run
{
    const JobContext &context;
    const FleetRequest &request;
    const std::function<void(const FleetProgress &)> &progress;
    std::mutex mutex;
    std::condition_variable changed;
    Batch *batch = nullptr;
    QList<Batch *> checks; // ended batches whose check no one has taken yet
    bool finished = false; // no more batches
    QString fatal; // the run cannot go on
    FleetProgress totals;
    QElapsedTimer clock;
    qint64 lastReport = -1000;
    qint64 weightTotal = 0;
    qint64 weightDone = 0;
    QList<FleetAccount> changedSince;
    QString healthPath; // where verified accounts' results go (HealthStore)

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

    // Under the lock: an ended batch whose check a worker may run now (no chunk in flight), or none.
    Batch *checkReady() const
    {
        for (Batch *b : checks)
            if (b->inFlight == 0)
                return b;
        return nullptr;
    }
    // Under the lock: the same, marked as taken.
    Batch *takeCheck()
    {
        Batch *b = checkReady();
        if (b) {
            b->checkTaken = true;
            checks.removeOne(b);
        }
        return b;
    }

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
void work(Run &run, Connection &connection);
// The coordinator: publishes the batches one after the other, holds a backfill batch's locks
// while it runs, and closes each account's line (journal, health board) after its batch has
// ended, without holding back the next batches.
void coordinate(Run &run, Connection &connection, QList<QList<FleetItem *>> &batches, FleetJournal *journal);

} // namespace fleet
} // namespace rollup
