#include "ui/accountloader.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"
#include "jobs/canceltoken.h"

#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace rollup {

namespace {

// Runs `work(connection)` with the token attached to the connection's canceller.
template<typename Result, typename Work>
Result withConnection(const ConnectionSettings &settings, const std::shared_ptr<CancelToken> &cancel, Work work)
{
    Result result;
    if (cancel && cancel->isCancelled()) {
        result.cancelled = true;
        return result;
    }
    try {
        Connection connection(settings);
        struct Attach
        {
            CancelToken *token;
            ~Attach()
            {
                if (token)
                    token->detach();
            }
        } attach{cancel.get()};
        if (cancel)
            cancel->attach(connection.canceller());
        if (!cancel || !cancel->isCancelled())
            work(connection, result);
    } catch (const DbError &e) {
        result.error = e.message();
    }
    if (cancel && cancel->isCancelled()) {
        result.cancelled = true;
        result.error.clear();
    }
    return result;
}

} // namespace

QFuture<AccountsLoad> AccountLoader::load(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel)
{
    return QtConcurrent::run([settings, cancel]() {
        return withConnection<AccountsLoad>(settings, cancel, [](Connection &connection, AccountsLoad &result) {
            result.server = QStringLiteral("PostgreSQL %1, %2").arg(connection.serverVersion(), connection.sslDescription());
            result.schemaProblem = Schema::checkMessage(connection);
            if (result.schemaProblem.isEmpty())
                result.accounts = AccountRepository(connection).list();
        });
    });
}

QFuture<AccountStatsLoad> AccountLoader::loadStats(const ConnectionSettings &settings, std::shared_ptr<CancelToken> cancel)
{
    return QtConcurrent::run([settings, cancel]() {
        return withConnection<AccountStatsLoad>(settings, cancel, [](Connection &connection, AccountStatsLoad &result) {
            QElapsedTimer timer;
            timer.start();
            result.stats = AccountRepository(connection).stats();
            result.seconds = timer.elapsed() / 1000.0;
        });
    });
}

} // namespace rollup
