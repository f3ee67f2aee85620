#include "jobs/backfilljob.h"

#include "core/historyjournal.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupdays.h"
#include "db/serverstatus.h"
#include "db/sessionprobe.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace rollup {

namespace {
int dayKey(date::local_days d)
{
    return int(d.time_since_epoch().count());
}

QSet<int> keysOf(const QList<date::local_days> &days)
{
    QSet<int> out;
    out.reserve(days.size());
    for (date::local_days d : days)
        out.insert(dayKey(d));
    return out;
}
} // namespace

QList<date::local_days> BackfillPlanOutcome::selectedDays() const
{
    QList<date::local_days> out;
    out.reserve(plan.windows.size());
    for (const DayWindow &w : plan.windows)
        out.append(w.day);
    return out;
}

BackfillPlanOutcome BackfillJob::prepare(const JobContext &context, const BackfillPlanRequest &request, SysSeconds now)
{
    BackfillPlanOutcome out;
    out.request = request;
    try {
        const std::unique_ptr<Connection> own = context.forReads().connect();
        Connection &connection = *own;
        BackfillRequest r;
        r.accountId = request.accountId;
        r.range = request.range;
        if (request.mode == BackfillMode::ListedDays) {
            if (request.days.isEmpty())
                throw PlanError(tr("no days listed"));
            r.days = request.days;
        }
        try {
            out.plan = BackfillPlanner::plan(connection, r, now);
        } catch (const PlanError &) {
            if (request.accountId > 0 && request.accountId <= 2147483647) {
                out.account = AccountRepository(connection).find(request.accountId);
                out.zoneProblem = out.account && !out.account->zone().usable();
            }
            throw;
        }
        out.account = out.plan.account;
        const date::time_zone *zone = out.plan.zone.zone;
        out.today = DayWindows::today(zone, now);
        out.todayClosesUtc = DayWindows::startOf(zone, out.today + date::days{1});
        if (out.plan.windows.isEmpty())
            return out;
        out.rangeDays = out.plan.range.days();
        QSet<int> keep;
        if (request.mode == BackfillMode::MissingDays) {
            const QList<date::local_days> withRows
                = RollupDays::daysWithRows(connection, request.accountId, out.plan.range.from, out.plan.range.to);
            out.daysWithRows = int(withRows.size());
            const QSet<int> drop = keysOf(withRows);
            out.plan.windows.erase(std::remove_if(out.plan.windows.begin(), out.plan.windows.end(),
                                                  [&](const DayWindow &w) { return drop.contains(dayKey(w.day)); }),
                                   out.plan.windows.end());
            if (out.plan.windows.isEmpty())
                out.plan.note = tr("every day of the range already has rollup rows");
        } else if (request.mode == BackfillMode::DifferingDays) {
            keep = keysOf(request.days);
            out.plan.windows.erase(std::remove_if(out.plan.windows.begin(), out.plan.windows.end(),
                                                  [&](const DayWindow &w) { return !keep.contains(dayKey(w.day)); }),
                                   out.plan.windows.end());
            if (out.plan.windows.isEmpty())
                out.plan.note = request.days.isEmpty() ? tr("no verify differences known for this account")
                                                       : tr("no differing day falls in the range");
        }
    } catch (const PlanError &e) {
        out.error = e.message();
    } catch (const DbError &e) {
        out.error = e.message();
    }
    return out;
}

Job<BackfillPlanOutcome> BackfillJob::startPlan(const ConnectionSettings &settings, const BackfillPlanRequest &request,
                                                SysSeconds now)
{
    return Jobs::start<BackfillPlanOutcome>(settings,
                                            [request, now](JobContext &context) { return prepare(context, request, now); });
}

BackfillResult BackfillJob::run(const JobContext &context, const BackfillPlan &plan, const BackfillEngine::ProgressFn &progress,
                                int initialChunkDays, int workers)
{
    // The history gets a "started" record on disk before anything is written and a "finished"
    // one at the end: a run killed in between shows as not finished.
    const HistoryJournal history = HistoryJournal::forDatabase(context.settings());
    HistoryRecord started
        = HistoryJournal::newRecord(context.settings(), QLatin1String(HistoryJournal::kBackfill), plan.account.id);
    const QString span = plan.windows.isEmpty()
                             ? QString()
                             : QStringLiteral("%1 .. %2")
                                   .arg(formatLocalDate(plan.windows.first().day), formatLocalDate(plan.windows.last().day));
    started.phase = QStringLiteral("started");
    started.summary = QStringLiteral("backfill %1 (%2 days)").arg(span).arg(plan.windows.size());
    started.details
        = QJsonObject{{QStringLiteral("account_name"), plan.account.name},
                      {QStringLiteral("zone"), plan.zone.ianaId},
                      {QStringLiteral("from"), plan.windows.isEmpty() ? QString() : formatLocalDate(plan.windows.first().day)},
                      {QStringLiteral("to"), plan.windows.isEmpty() ? QString() : formatLocalDate(plan.windows.last().day)},
                      {QStringLiteral("days"), int(plan.windows.size())}};
    QString historyError;
    history.append(started, &historyError);

    BackfillResult result;
    try {
        const std::unique_ptr<Connection> connection = context.connect();
        ServerStatus::requirePrimary(*connection);
        // The plan may be older than the account's zone (planned on a replica that lagged, or
        // before someone changed the zone): days bucketed in the wrong zone are never written.
        if (!plan.windows.isEmpty()) {
            const ZoneResolution zone = BackfillPlanner::accountWithZone(*connection, plan.account.id).second;
            if (zone.ianaId != plan.zone.ianaId)
                throw PlanError(
                    tr("account %1's reporting_timezone is %2 now, not %3 as when the backfill was planned: plan it again")
                        .arg(plan.account.id)
                        .arg(zone.ianaId, plan.zone.ianaId));
        }
        result = BackfillEngine::run(context, *connection, plan, progress, initialChunkDays, workers);
    } catch (const PlanError &e) {
        result.outcome = BackfillResult::Outcome::Failed;
        result.refused = true;
        result.error = e.message();
    } catch (const DbError &e) {
        result.outcome = BackfillResult::Outcome::Failed;
        result.error = e.message();
        // Refused before any work: a standby given as the primary, a transaction pool.
        result.refused = e.sqlState() == QLatin1String("25006") || SessionProbe::isPoolingError(e);
    }
    if (result.daysTotal == 0) { // never started: every day is still to do
        result.daysTotal = int(plan.windows.size());
        for (const DayWindow &w : plan.windows)
            result.pendingDays.append(w.day);
    }

    HistoryRecord finished = started;
    finished.at = {};
    finished.phase = QStringLiteral("finished");
    finished.outcome = result.outcome == BackfillResult::Outcome::Completed   ? QStringLiteral("done")
                       : result.outcome == BackfillResult::Outcome::Cancelled ? QStringLiteral("cancelled")
                       : result.refused                                       ? QStringLiteral("refused")
                                                                              : QStringLiteral("failed");
    finished.wrote = !result.doneDays.isEmpty();
    finished.summary = QStringLiteral("backfill %1: %2 of %3 days, %4 rows deleted, %5 rows written, %6 s")
                           .arg(span)
                           .arg(result.doneDays.size())
                           .arg(result.daysTotal)
                           .arg(result.rowsDeleted)
                           .arg(result.rowsWritten)
                           .arg(result.seconds, 0, 'f', 1);
    finished.details = QJsonObject{{QStringLiteral("days_done"), int(result.doneDays.size())},
                                   {QStringLiteral("days_failed"), int(result.failedDays.size())},
                                   {QStringLiteral("days_pending"), int(result.pendingDays.size())},
                                   {QStringLiteral("rows_deleted"), result.rowsDeleted},
                                   {QStringLiteral("rows_written"), result.rowsWritten},
                                   {QStringLiteral("events_read"), result.eventsRead},
                                   {QStringLiteral("seconds"), result.seconds}};
    if (!result.error.isEmpty())
        finished.details.insert(QStringLiteral("error"), result.error);
    history.append(finished, historyError.isEmpty() ? &historyError : nullptr);
    result.historyError = historyError;
    return result;
}

Job<BackfillEvent> BackfillJob::start(const ConnectionSettings &settings, const BackfillPlan &plan, int initialChunkDays,
                                      std::shared_ptr<CancelToken> cancel)
{
    return Jobs::start<BackfillEvent>(
        settings,
        [plan, initialChunkDays](JobContext &context, QPromise<BackfillEvent> &promise) {
            BackfillResult result = run(
                context, plan, [&promise](const BackfillProgress &p) { promise.addResult(BackfillEvent{p}); }, initialChunkDays);
            promise.addResult(BackfillEvent{std::move(result)});
        },
        std::move(cancel));
}

} // namespace rollup
