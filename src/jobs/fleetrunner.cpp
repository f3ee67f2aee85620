#include "jobs/fleet.h"

#include "core/healthstore.h"
#include "core/historyjournal.h"
#include "core/statedirectory.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/serverstatus.h"
#include "jobs/fleetjournal.h"
#include "jobs/fleetplan.h"
#include "jobs/fleetrun.h"

#include <QJsonObject>

#include <algorithm>

namespace rollup {

using fleet::Run;

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
    case FleetStatus::Queued:
        return QStringLiteral("queued");
    case FleetStatus::Running:
        return QStringLiteral("running");
    case FleetStatus::Match:
        return QStringLiteral("match");
    case FleetStatus::Differs:
        return QStringLiteral("differs");
    case FleetStatus::Done:
        return QStringLiteral("done");
    case FleetStatus::Skipped:
        return QStringLiteral("skipped");
    case FleetStatus::Locked:
        return QStringLiteral("locked");
    case FleetStatus::Failed:
        return QStringLiteral("error");
    case FleetStatus::Cancelled:
        return QStringLiteral("cancelled");
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
    result.journalPath
        = request.journalPath.isEmpty() ? defaultJournalPath(context.settings(), request.mode) : request.journalPath;
    // A fleet backfill is one action of the console's history: "started" before anything is
    // written, "finished" with the totals at the end (a killed run shows as not finished).
    std::optional<HistoryRecord> started;
    auto recordStart = [&]() {
        if (request.dryRun || request.mode != FleetMode::Backfill)
            return;
        started = HistoryJournal::newRecord(context.settings(), QLatin1String(HistoryJournal::kFleetBackfill), 0);
        started->phase = QStringLiteral("started");
        const QString days = request.days == FleetDays::All       ? QStringLiteral("all")
                             : request.days == FleetDays::Missing ? QStringLiteral("missing")
                                                                  : QStringLiteral("differing");
        started->summary = QStringLiteral("fleet backfill of accounts %1 (%2 days)").arg(request.accounts.text(), days);
        started->details = QJsonObject{{QStringLiteral("accounts"), request.accounts.text()},
                                       {QStringLiteral("days"), days},
                                       {QStringLiteral("workers"), request.workers},
                                       {QStringLiteral("resume"), request.resume}};
        QString ignored; // the run goes on without its history line
        HistoryJournal::forDatabase(context.settings()).append(*started, &ignored);
    };
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
            recordStart();
        }
        if (progress) {
            FleetProgress p;
            p.phase = QStringLiteral("planning");
            progress(p);
        }
        QList<FleetItem> items = FleetPlanner::plan(target, *coordinator, request, finished);
        QList<QList<FleetItem *>> batches = FleetPlanner::batches(items, std::clamp(request.batchAccounts, 1, 5000));
        Run run(target, request, progress);
        run.healthPath = request.healthPath.isEmpty() ? HealthStore::defaultPath(context.settings()) : request.healthPath;
        run.clock.start();
        run.totals.phase = QStringLiteral("running");
        for (const FleetItem &item : std::as_const(items)) {
            if (item.account.finished())
                continue;
            ++run.totals.accountsTotal;
            run.totals.daysTotal += item.account.days;
            run.weightTotal += item.account.events;
        }
        if (!request.dryRun) {
            // The first report names every account the run will work on (queued).
            std::lock_guard lock(run.mutex);
            for (const FleetItem &item : std::as_const(items))
                if (!item.account.finished())
                    run.changedAccount(item.account);
            run.report(true);
        }
        if (!request.dryRun) {
            target.inParallel(
                std::clamp(request.workers, 1, 16) + 1,
                [&](Connection &c, int worker) {
                    if (worker == 0)
                        fleet::coordinate(run, c, batches, &journal);
                    else
                        fleet::work(run, c);
                },
                coordinator.get(),
                [&run]() {
                    std::lock_guard lock(run.mutex);
                    if (run.fatal.isEmpty() && !run.context.isCancelled()) // a cancel may stop a connection's opening
                        run.fatal = tr("a worker's connection failed");
                    run.changed.notify_all();
                });
            result.error = run.fatal;
            result.busySeconds = run.totals.busySeconds;
            result.reruns = run.totals.reruns;
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
    if (started) {
        HistoryRecord end = *started;
        end.at = {};
        end.phase = QStringLiteral("finished");
        int done = 0, failed = 0, skipped = 0;
        qint64 days = 0, rows = 0;
        for (const FleetAccount &a : std::as_const(result.accounts)) {
            done += a.status == FleetStatus::Done;
            failed += a.status == FleetStatus::Failed || a.status == FleetStatus::Locked;
            skipped += a.status == FleetStatus::Skipped;
            days += a.daysDone;
            rows += a.rowsWritten;
        }
        end.outcome = result.cancelled                          ? QStringLiteral("cancelled")
                      : (!result.error.isEmpty() || failed > 0) ? QStringLiteral("failed")
                                                                : QStringLiteral("done");
        end.wrote = days > 0;
        end.summary = QStringLiteral("fleet backfill of accounts %1: %2 accounts done, %3 failed or locked, %4 skipped; %5 days, "
                                     "%6 rows written, %7 s")
                          .arg(request.accounts.text())
                          .arg(done)
                          .arg(failed)
                          .arg(skipped)
                          .arg(days)
                          .arg(rows)
                          .arg(result.seconds, 0, 'f', 1);
        end.details = QJsonObject{{QStringLiteral("accounts_done"), done},
                                  {QStringLiteral("accounts_failed"), failed},
                                  {QStringLiteral("accounts_skipped"), skipped},
                                  {QStringLiteral("days_done"), days},
                                  {QStringLiteral("rows_written"), rows},
                                  {QStringLiteral("seconds"), result.seconds},
                                  {QStringLiteral("fleet_journal"), result.journalPath}};
        if (!result.error.isEmpty())
            end.details.insert(QStringLiteral("error"), result.error);
        QString ignored;
        HistoryJournal::forDatabase(context.settings()).append(end, &ignored);
    }
    return result;
}

Job<FleetEvent> FleetRunner::start(const ConnectionSettings &settings, const FleetRequest &request,
                                   std::shared_ptr<CancelToken> cancel)
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
