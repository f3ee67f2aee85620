#include "jobs/backfilljob.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/rollupdays.h"
#include "jobs/canceltoken.h"

#include <QSet>
#include <QThread>

#include <algorithm>

namespace rollup {

namespace {
int dayKey(date::local_days d) { return int(d.time_since_epoch().count()); }

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

BackfillPlanOutcome BackfillJob::prepare(const ConnectionSettings &settings, const BackfillPlanRequest &request, SysSeconds now)
{
    BackfillPlanOutcome out;
    out.request = request;
    try {
        Connection connection(settings);
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
            const QList<date::local_days> withRows =
                RollupDays::daysWithRows(connection, request.accountId, out.plan.range.from, out.plan.range.to);
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

BackfillJob::BackfillJob(QObject *parent) : QObject(parent) {}

BackfillJob::~BackfillJob()
{
    if (m_cancel)
        m_cancel->cancel();
    if (m_thread)
        m_thread->wait();
    if (m_cancelThread)
        m_cancelThread->wait();
}

bool BackfillJob::start(const ConnectionSettings &settings, const BackfillPlan &plan, int initialChunkDays)
{
    if (m_running || plan.empty())
        return false;
    if (m_thread) {
        // The previous worker already delivered its result; it is at most returning.
        m_thread->wait();
        m_thread.reset();
    }
    auto cancel = std::make_shared<CancelToken>();
    m_cancel = cancel;
    m_running = true;
    m_cancelRequested = false;
    m_thread.reset(QThread::create([this, settings, plan, cancel, initialChunkDays]() {
        BackfillResult result;
        try {
            Connection connection(settings);
            result = BackfillEngine::run(
                connection, plan, cancel.get(),
                [this](const BackfillProgress &p) {
                    QMetaObject::invokeMethod(this, [this, p]() { deliverProgress(p); }, Qt::QueuedConnection);
                },
                initialChunkDays);
        } catch (const PlanError &e) {
            result.outcome = BackfillResult::Outcome::Failed;
            result.error = e.message();
        } catch (const DbError &e) {
            result.outcome = BackfillResult::Outcome::Failed;
            result.error = e.message();
        }
        if (result.daysTotal == 0) { // never started: every day is still to do
            result.daysTotal = int(plan.windows.size());
            for (const DayWindow &w : plan.windows)
                result.pendingDays.append(w.day);
        }
        QMetaObject::invokeMethod(this, [this, result]() { deliverResult(result); }, Qt::QueuedConnection);
    }));
    m_thread->setObjectName(QStringLiteral("backfill-%1").arg(plan.account.id));
    m_thread->start();
    return true;
}

void BackfillJob::cancel()
{
    if (!m_running || !m_cancel)
        return;
    if (m_cancelRequested)
        return;
    m_cancelRequested = true;
    if (m_cancelThread) // an earlier run's canceller: long done
        m_cancelThread->wait();
    // The flag is set at once; the server-side cancel (a short connection of its own) is sent
    // from a helper thread so this call never waits for the network.
    m_cancelThread.reset(QThread::create([cancel = m_cancel]() { cancel->cancel(); }));
    m_cancelThread->start();
}

void BackfillJob::deliverProgress(const BackfillProgress &progress)
{
    if (m_running)
        emit progressed(progress);
}

void BackfillJob::deliverResult(const BackfillResult &result)
{
    m_running = false;
    m_cancelRequested = false;
    m_cancel.reset();
    emit finished(result);
}

} // namespace rollup
