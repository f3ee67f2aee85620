#pragma once

#include "db/accountrepository.h"
#include "db/connectionsettings.h"

#include <QFuture>
#include <QJsonValue>
#include <QString>

namespace rollup {

struct CoverageLoad
{
    RollupCoverage coverage;
    QString error; // one line; empty on success
};

struct TimezoneSave
{
    qint64 accountId = 0;
    bool found = false;                                // false: unknown account, nothing written
    QJsonValue oldValue{QJsonValue::Undefined};        // reporting_timezone before the write
    QString newIanaId;                                 // empty: the key was removed
    QString error;                                     // one line (libpq's message); empty on success
};

// The timezone editor's database work, each on a pool thread with its own connection (opened
// and closed there). Callable from any thread; never touches widgets.
class TimezoneWorker
{
public:
    static QFuture<CoverageLoad> coverage(const ConnectionSettings &settings, qint64 accountId);
    // `ianaId` empty: clear the key. Otherwise it must be an IANA id (AccountRepository::setTimezone).
    static QFuture<TimezoneSave> save(const ConnectionSettings &settings, qint64 accountId, const QString &ianaId);
};

} // namespace rollup
