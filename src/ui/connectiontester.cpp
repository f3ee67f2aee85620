#include "ui/connectiontester.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QCoreApplication>
#include <QtConcurrent/QtConcurrentRun>

namespace rollup {

QFuture<ConnectionTest> ConnectionTester::test(const ConnectionSettings &settings)
{
    return QtConcurrent::run([settings]() {
        ConnectionTest result;
        try {
            Connection connection(settings);
            result.serverVersion = connection.serverVersion();
            result.ssl = connection.sslDescription();
            result.schemaProblem = Schema::checkMessage(connection);
            result.ok = true;
            QString text = QCoreApplication::translate("ConnectionTester", "Connected: PostgreSQL %1, %2")
                               .arg(result.serverVersion, result.ssl);
            if (settings.readOnly)
                text += QCoreApplication::translate("ConnectionTester", ", read-only session");
            text += result.schemaProblem.isEmpty()
                ? QCoreApplication::translate("ConnectionTester", "; Chatwoot tables found")
                : QCoreApplication::translate("ConnectionTester", "; schema: %1").arg(result.schemaProblem);
            result.message = text;
        } catch (const DbError &e) {
            result.message = e.message();
        }
        return result;
    });
}

} // namespace rollup
