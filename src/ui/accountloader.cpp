#include "ui/accountloader.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QtConcurrent/QtConcurrentRun>

namespace rollup {

QFuture<AccountsLoad> AccountLoader::load(const ConnectionSettings &settings)
{
    return QtConcurrent::run([settings]() {
        AccountsLoad result;
        try {
            Connection connection(settings);
            result.server = QStringLiteral("PostgreSQL %1, %2").arg(connection.serverVersion(), connection.sslDescription());
            result.schemaProblem = Schema::checkMessage(connection);
            if (result.schemaProblem.isEmpty())
                result.accounts = AccountRepository(connection).list();
        } catch (const DbError &e) {
            result.error = e.message();
        }
        return result;
    });
}

} // namespace rollup
