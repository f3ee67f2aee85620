#include "jobs/connectioncheck.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QCoreApplication>

namespace rollup {

ConnectionTest ConnectionCheck::run(const JobContext &context)
{
    ConnectionTest result;
    try {
        const std::unique_ptr<Connection> connection = context.connect();
        result.serverVersion = connection->serverVersion();
        result.ssl = connection->sslDescription();
        result.schemaProblem = Schema::checkMessage(*connection);
        result.ok = true;
        QString text = QCoreApplication::translate("ConnectionCheck", "Connected: PostgreSQL %1, %2").arg(result.serverVersion, result.ssl);
        if (context.settings().readOnly)
            text += QCoreApplication::translate("ConnectionCheck", ", read-only session");
        text += result.schemaProblem.isEmpty()
            ? QCoreApplication::translate("ConnectionCheck", "; Chatwoot tables found")
            : QCoreApplication::translate("ConnectionCheck", "; schema: %1").arg(result.schemaProblem);
        result.message = text;
    } catch (const DbError &e) {
        result.message = e.message();
    }
    return result;
}

Job<ConnectionTest> ConnectionCheck::start(const ConnectionSettings &settings)
{
    return Jobs::start<ConnectionTest>(settings, [](JobContext &context) { return run(context); });
}

} // namespace rollup
