#include "jobs/timezonechange.h"

#include "db/accountrepository.h"
#include "db/connection.h"
#include "db/dberror.h"
#include "db/serverstatus.h"

namespace rollup {

TimezoneImpact TimezoneChange::impact(const ZoneResolution &oldZone, const QString &newIanaId, const RollupCoverage &coverage)
{
    TimezoneImpact out;
    out.hasRollups = coverage.rows > 0;
    out.bucketsChange = newIanaId.isEmpty() || !oldZone.usable() || (newIanaId != oldZone.ianaId && newIanaId != oldZone.stored);
    out.bucketedIn = oldZone.usable() ? oldZone.ianaId : tr("an earlier zone (the stored value is %1)").arg(oldZone.describe());
    return out;
}

Job<CoverageLoad> TimezoneChange::coverage(const ConnectionSettings &settings, qint64 accountId)
{
    return Jobs::start<CoverageLoad>(settings, [accountId](JobContext &context) {
        CoverageLoad result;
        try {
            const std::unique_ptr<Connection> connection = context.connect();
            result.coverage = AccountRepository(*connection).rollupCoverage(accountId);
        } catch (const DbError &e) {
            result.error = e.message();
        }
        return result;
    });
}

TimezoneSave TimezoneChange::save(const JobContext &context, qint64 accountId, const QString &ianaId)
{
    TimezoneSave result;
    result.accountId = accountId;
    result.newIanaId = ianaId;
    try {
        const std::unique_ptr<Connection> connection = context.connect();
        ServerStatus::requirePrimary(*connection);
        AccountRepository accounts(*connection);
        const std::optional<AccountRow> account = accounts.find(accountId);
        if (account) {
            result.accountName = account->name;
            result.coverage = accounts.rollupCoverage(accountId);
            const std::optional<QJsonValue> old = ianaId.isEmpty() ? accounts.clearTimezone(accountId)
                                                                   : accounts.setTimezone(accountId, ianaId);
            result.found = old.has_value();
            if (old) {
                result.oldValue = *old;
                result.impact = impact(ZoneResolver::resolve(*old), ianaId, result.coverage);
            }
        }
        if (!result.found)
            result.error = tr("account %1 not found").arg(accountId);
    } catch (const DbError &e) {
        result.error = e.message();
    }
    return result;
}

Job<TimezoneSave> TimezoneChange::startSave(const ConnectionSettings &settings, qint64 accountId, const QString &ianaId)
{
    return Jobs::start<TimezoneSave>(settings, [accountId, ianaId](JobContext &context) { return save(context, accountId, ianaId); });
}

} // namespace rollup
