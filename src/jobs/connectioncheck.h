#pragma once

#include "core/connectionsettings.h"
#include "jobs/job.h"

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

// Opens a throwaway connection and reports the server version, TLS state and schema check
// (the connection dialog's Test button).
class ConnectionCheck
{
public:
    static ConnectionTest run(const JobContext &context);
    static Job<ConnectionTest> start(const ConnectionSettings &settings);
};

} // namespace rollup
