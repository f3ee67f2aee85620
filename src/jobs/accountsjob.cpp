#include "jobs/accountsjob.h"

#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QElapsedTimer>

namespace rollup {

namespace {

// Runs `work(connection, result)` on a connection of the context; errors and cancellation end
// up in the result.
template<typename Result, typename Work>
Result withConnection(const JobContext &context, Work work)
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

AccountsLoad AccountsJob::load(const JobContext &context)
{
    AccountsLoad result = withConnection<AccountsLoad>(context, [](Connection &connection, AccountsLoad &out) {
        out.server = QStringLiteral("PostgreSQL %1, %2").arg(connection.serverVersion(), connection.sslDescription());
        out.schemaProblem = Schema::checkMessage(connection);
        if (out.schemaProblem.isEmpty())
            out.accounts = AccountRepository(connection).list();
    });
    result.passwordNeeded = needsPassword(result.error);
    return result;
}

Job<AccountsLoad> AccountsJob::startLoad(const ConnectionSettings &settings)
{
    return Jobs::start<AccountsLoad>(settings, [](JobContext &context) { return load(context); });
}

AccountStatsLoad AccountsJob::loadStats(const JobContext &context)
{
    return withConnection<AccountStatsLoad>(context, [](Connection &connection, AccountStatsLoad &out) {
        QElapsedTimer timer;
        timer.start();
        out.stats = AccountRepository(connection).stats();
        out.seconds = timer.elapsed() / 1000.0;
    });
}

Job<AccountStatsLoad> AccountsJob::startLoadStats(const ConnectionSettings &settings)
{
    return Jobs::start<AccountStatsLoad>(settings, [](JobContext &context) { return loadStats(context); });
}

} // namespace rollup
