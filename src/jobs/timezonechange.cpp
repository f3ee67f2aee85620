#include "jobs/timezonechange.h"

#include "core/historyjournal.h"
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
    bool attempted = false;
    try {
        const std::unique_ptr<Connection> connection = context.connect();
        ServerStatus::requirePrimary(*connection);
        AccountRepository accounts(*connection);
        const std::optional<AccountRow> account = accounts.find(accountId);
        if (account) {
            result.accountName = account->name;
            result.coverage = accounts.rollupCoverage(accountId);
            attempted = true;
            const std::optional<QJsonValue> old = ianaId.isEmpty() ? accounts.clearTimezone(accountId, &result.change)
                                                                   : accounts.setTimezone(accountId, ianaId, &result.change);
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
    if (attempted)
        record(context.settings(), result);
    return result;
}

void TimezoneChange::record(const ConnectionSettings &settings, TimezoneSave &save)
{
    const bool clear = save.newIanaId.isEmpty();
    HistoryRecord r = HistoryJournal::newRecord(
        settings, QLatin1String(clear ? HistoryJournal::kClearTimezone : HistoryJournal::kSetTimezone), save.accountId);
    r.summary = save.change.comment;
    if (r.summary.isEmpty())
        r.summary = clear ? QStringLiteral("reporting_timezone -> (not set)")
                          : QStringLiteral("reporting_timezone -> %1").arg(save.newIanaId);
    r.outcome = !save.ok()            ? QStringLiteral("failed")
                : save.change.changed ? QStringLiteral("done")
                                      : QStringLiteral("unchanged");
    r.wrote = save.ok() && save.change.changed;
    r.details.insert(QStringLiteral("account_name"), save.accountName);
    if (!save.oldValue.isUndefined())
        r.details.insert(QStringLiteral("old"), save.oldValue);
    r.details.insert(QStringLiteral("new"), clear ? QJsonValue(QJsonValue::Null) : QJsonValue(save.newIanaId));
    if (save.change.auditVersion > 0) {
        r.details.insert(QStringLiteral("audit_version"), save.change.auditVersion);
        r.details.insert(QStringLiteral("audit_request_uuid"), save.change.requestUuid);
    }
    if (!save.error.isEmpty())
        r.details.insert(QStringLiteral("error"), save.error);
    HistoryJournal::forDatabase(settings).append(r, &save.historyError);
}

Job<TimezoneSave> TimezoneChange::startSave(const ConnectionSettings &settings, qint64 accountId, const QString &ianaId)
{
    return Jobs::start<TimezoneSave>(settings,
                                     [accountId, ianaId](JobContext &context) { return save(context, accountId, ianaId); });
}

} // namespace rollup
