#include "ui/timezoneworker.h"

#include "db/connection.h"
#include "db/dberror.h"

#include <QtConcurrent/QtConcurrentRun>

namespace rollup {

QFuture<CoverageLoad> TimezoneWorker::coverage(const ConnectionSettings &settings, qint64 accountId)
{
    return QtConcurrent::run([settings, accountId]() {
        CoverageLoad result;
        try {
            Connection connection(settings);
            result.coverage = AccountRepository(connection).rollupCoverage(accountId);
        } catch (const DbError &e) {
            result.error = e.message();
        }
        return result;
    });
}

QFuture<TimezoneSave> TimezoneWorker::save(const ConnectionSettings &settings, qint64 accountId, const QString &ianaId)
{
    return QtConcurrent::run([settings, accountId, ianaId]() {
        TimezoneSave result;
        result.accountId = accountId;
        result.newIanaId = ianaId;
        try {
            Connection connection(settings);
            AccountRepository accounts(connection);
            const std::optional<QJsonValue> old = ianaId.isEmpty() ? accounts.clearTimezone(accountId)
                                                                   : accounts.setTimezone(accountId, ianaId);
            result.found = old.has_value();
            if (old)
                result.oldValue = *old;
            else
                result.error = QStringLiteral("account %1 not found").arg(accountId);
        } catch (const DbError &e) {
            result.error = e.message();
        }
        return result;
    });
}

} // namespace rollup
