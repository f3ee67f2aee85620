#pragma once

#include "db/connectionsettings.h"

#include <QFuture>
#include <QString>

namespace rollup {

struct ConnectionTest
{
    bool ok = false;
    QString message;       // libpq's one-line error, or what the server said
    QString serverVersion;
    QString ssl;           // Connection::sslDescription()
    QString schemaProblem; // Schema::checkMessage(); empty when the tables are there
};

// Opens a throwaway connection on a pool thread (its own, closed there) and reports the server
// version, TLS state and schema check. Callable from any thread; the result never touches widgets.
class ConnectionTester
{
public:
    static QFuture<ConnectionTest> test(const ConnectionSettings &settings);
};

} // namespace rollup
