#pragma once

#include "core/account.h"
#include "core/accountchange.h"
#include "core/connectionsettings.h"
#include "jobs/job.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QString>

namespace rollup {

struct CoverageLoad
{
    RollupCoverage coverage;
    QString error; // one line; empty on success
};

// What a new reporting_timezone means for the rollup rows already stored.
struct TimezoneImpact
{
    bool hasRollups = false; // the account has stored rollup rows
    bool bucketsChange = false; // they were bucketed in another zone than the new one, or the zone is cleared
    QString bucketedIn; // the old IANA id, or what the unusable old value is
};

struct TimezoneSave
{
    qint64 accountId = 0;
    bool found = false; // false: unknown account, nothing written
    QString accountName;
    QJsonValue oldValue{QJsonValue::Undefined}; // reporting_timezone before the write
    QString newIanaId; // empty: the key was removed
    RollupCoverage coverage; // rollup rows before the write
    TimezoneImpact impact;
    QString error; // one line (libpq's message); empty on success
    AccountChange change; // what was written (and the audit row, when there is one)
    QString historyError; // the history journal could not be written (the change stands)
    bool ok() const { return found && error.isEmpty(); }
};

// Setting or clearing an account's reporting_timezone, for the timezone editor and the
// `set-timezone` command. The write is AccountRepository::setTimezone's single jsonb_set
// statement (every other settings key survives), with Chatwoot's audit row in the same
// transaction when the database has the `audits` table; every attempted write is then recorded
// in the console's history (HistoryJournal), with its outcome.
class TimezoneChange
{
    Q_DECLARE_TR_FUNCTIONS(TimezoneChange)

public:
    // Pure. `newIanaId` empty: the zone is cleared. A different identifier counts as a change
    // even when it is a link to the same zone (Asia/Calcutta for Asia/Kolkata): conservative.
    static TimezoneImpact impact(const ZoneResolution &oldZone, const QString &newIanaId, const RollupCoverage &coverage);

    static Job<CoverageLoad> coverage(const ConnectionSettings &settings, qint64 accountId);
    // `ianaId` empty: clear the key. Otherwise it must be an IANA id (AccountRepository::setTimezone).
    static TimezoneSave save(const JobContext &context, qint64 accountId, const QString &ianaId);
    static Job<TimezoneSave> startSave(const ConnectionSettings &settings, qint64 accountId, const QString &ianaId);

private:
    // Appends the history record of an attempted write (sets save.historyError when it fails).
    static void record(const ConnectionSettings &settings, TimezoneSave &save);
};

} // namespace rollup
