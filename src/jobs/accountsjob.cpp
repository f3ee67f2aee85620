#include "jobs/accountsjob.h"

#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QElapsedTimer>

#include <algorithm>
#include <mutex>

namespace rollup {

namespace {

// Runs `work(connection, result)` on a connection of the context; errors and cancellation end
// up in the result.
template <typename Result, typename Work> Result withConnection(const JobContext &context, Work work)
{
    Result result;
    try {
        if (!context.isCancelled()) {
            const std::unique_ptr<Connection> connection = context.connect();
            if (!context.isCancelled())
                work(*connection, result);
        }
    } catch (const DbError &e) {
        result.error = e.message();
    }
    if (context.isCancelled()) {
        result.cancelled = true;
        result.error.clear();
    }
    return result;
}

} // namespace

AccountsLoad AccountsJob::load(const JobContext &context, bool localState)
{
    AccountsLoad result = withConnection<AccountsLoad>(context, [](Connection &connection, AccountsLoad &out) {
        out.server = QStringLiteral("PostgreSQL %1, %2").arg(connection.serverVersion(), connection.sslDescription());
        out.schemaProblem = Schema::checkMessage(connection);
        if (out.schemaProblem.isEmpty())
            out.accounts = AccountRepository(connection).list();
    });
    result.passwordNeeded = needsPassword(result.error);
    if (result.error.isEmpty() && localState) {
        result.health = HealthStore(HealthStore::defaultPath(context.settings())).load();
        result.lastChanges = HistoryJournal::forDatabase(context.settings()).lastChanges();
    }
    return result;
}

Job<QHash<qint64, AccountHealth>> AccountsJob::startLoadHealth(const ConnectionSettings &settings)
{
    return Jobs::start<QHash<qint64, AccountHealth>>(
        settings, [](JobContext &context) { return HealthStore(HealthStore::defaultPath(context.settings())).load(); });
}

Job<AccountsLoad> AccountsJob::startLoad(const ConnectionSettings &settings)
{
    return Jobs::start<AccountsLoad>(settings, [](JobContext &context) { return load(context); });
}

AccountStatsLoad AccountsJob::loadStats(const JobContext &context, const std::optional<QList<qint64>> &ids,
                                        const std::function<void(const AccountStatsLoad &)> &batch)
{
    AccountStatsLoad all;
    if (ids) {
        all.accountIds = *ids;
        all.total = ids->size();
    }
    const QList<qint64> &accountIds = all.accountIds;
    QElapsedTimer timer;
    timer.start();
    // The probes are CPU work on the server: kWorkers connections take the batches in turn, each
    // reported (under the lock, so `done` only grows) as it ends.
    std::mutex mutex;
    const AccountStatsLoad result = withConnection<AccountStatsLoad>(context, [&](Connection &first, AccountStatsLoad &) {
        if (!ids) {
            all.accountIds = AccountRepository(first).ids();
            all.total = all.accountIds.size();
        }
        context.inParts(
            accountIds, kBatch, kWorkers,
            [&](Connection &connection) {
                return [&, repository = std::make_shared<AccountRepository>(connection)](const QList<qint64> &part) {
                    AccountStatsLoad load;
                    load.accountIds = part;
                    load.stats = repository->stats(part);
                    const std::lock_guard lock(mutex);
                    all.stats.insert(load.stats);
                    all.done += load.accountIds.size();
                    load.done = all.done;
                    load.total = all.total;
                    load.seconds = timer.elapsed() / 1000.0;
                    if (batch)
                        batch(load);
                };
            },
            &first);
    });
    all.error = result.error;
    all.cancelled = result.cancelled;
    all.seconds = timer.elapsed() / 1000.0;
    if (all.error.isEmpty() && !all.cancelled)
        all.done = all.total;
    return all;
}

Job<AccountStatsLoad> AccountsJob::startLoadStats(const ConnectionSettings &settings, const QList<qint64> &accountIds)
{
    return Jobs::start<AccountStatsLoad>(settings, [accountIds](JobContext &context, QPromise<AccountStatsLoad> &promise) {
        bool reported = false;
        const AccountStatsLoad all = loadStats(context, accountIds, [&](const AccountStatsLoad &part) {
            promise.addResult(part);
            reported = part.finished();
        });
        if (!reported) { // an error, a cancel, or no accounts: one closing result
            AccountStatsLoad last;
            last.total = all.total;
            last.done = all.done;
            last.error = all.error;
            last.cancelled = all.cancelled;
            last.seconds = all.seconds;
            promise.addResult(last);
        }
    });
}

} // namespace rollup
