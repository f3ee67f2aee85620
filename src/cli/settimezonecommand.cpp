#include "cli/cli.h"
#include "cli/clicontext.h"
#include "core/zoneresolver.h"
#include "jobs/timezonechange.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace rollup {

namespace {

QString describeValue(const QJsonValue &value)
{
    if (value.isUndefined())
        return QCoreApplication::translate("SetTimezoneCommand", "(not set)");
    if (value.isString())
        return QStringLiteral("'%1'").arg(value.toString());
    return ZoneResolver::resolve(value).stored; // JSON text of a non-string
}

} // namespace

// set-timezone --account ID (--timezone NAME | --clear): writes the IANA id (also for a Rails
// name) with AccountRepository::setTimezone's single jsonb_set statement. Every refusal (bad id,
// unknown/blank/wrong-case name, unknown account) is one line on stderr, exit 2, nothing written.
int runSetTimezone(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "SetTimezoneCommand",
        "Sets or clears an account's settings.reporting_timezone. NAME is an IANA zone id (America/New_York) or a "
        "Rails time zone name (\"Eastern Time (US & Canada)\"), case-sensitive like ActiveSupport; the IANA id is "
        "written. Other settings keys are kept, also when written concurrently. Prints old -> new and warns when "
        "existing rollups were bucketed in the old zone."));
    CliContext::addAccountOption(parser);
    parser.addOption({QStringLiteral("timezone"),
                      QCoreApplication::translate("SetTimezoneCommand", "IANA id or Rails name to store"),
                      QStringLiteral("name")});
    parser.addOption(
        {QStringLiteral("clear"), QCoreApplication::translate("SetTimezoneCommand", "remove reporting_timezone (rollups off)")});
    CliContext::addConnectionOptions(parser);
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? ExitOk : ExitUsage;

    const std::optional<qint64> parsedId = ctx.accountId(parser);
    if (!parsedId)
        return ExitUsage;
    const qint64 accountId = *parsedId;
    const bool clear = parser.isSet(QStringLiteral("clear"));
    const bool set = parser.isSet(QStringLiteral("timezone"));
    if (clear == set)
        return ctx.fail(QCoreApplication::translate("SetTimezoneCommand", "give exactly one of --timezone NAME or --clear"));
    ZoneResolution target;
    if (set) {
        target = ZoneResolver::resolveName(parser.value(QStringLiteral("timezone")));
        if (target.state == ZoneResolution::State::NotSet)
            return ctx.fail(QCoreApplication::translate("SetTimezoneCommand", "--timezone is %1; use --clear to remove the zone")
                                .arg(target.reason));
        if (!target.usable())
            return ctx.fail(QStringLiteral("--timezone: %1").arg(target.reason));
    }

    const std::optional<JobContext> context = ctx.connect(parser, CliContext::Access::Write);
    if (!context)
        return ExitUsage;
    const TimezoneSave saved = TimezoneChange::save(*context, accountId, set ? target.ianaId : QString());
    if (!saved.historyError.isEmpty())
        ctx.err << QCoreApplication::translate("SetTimezoneCommand", "warning: %1").arg(saved.historyError) << Qt::endl;
    if (!saved.ok())
        return ctx.fail(saved.error);

    QString line = QCoreApplication::translate("SetTimezoneCommand", "account %1 (%2): reporting_timezone %3 -> %4")
                       .arg(accountId)
                       .arg(saved.accountName, describeValue(saved.oldValue),
                            set ? QStringLiteral("'%1'").arg(target.ianaId)
                                : QCoreApplication::translate("SetTimezoneCommand", "(not set)"));
    if (set && target.state == ZoneResolution::State::RailsName)
        line += QCoreApplication::translate("SetTimezoneCommand", " (Rails name '%1')").arg(target.stored);
    if (saved.oldValue == (set ? QJsonValue(target.ianaId) : QJsonValue(QJsonValue::Undefined)))
        line += QCoreApplication::translate("SetTimezoneCommand", " (unchanged)");
    ctx.out << line << Qt::endl;

    if (saved.impact.hasRollups && saved.impact.bucketsChange) {
        QString warning
            = QCoreApplication::translate("SetTimezoneCommand", "warning: %1 rollup rows over %2 days (%3) were bucketed in %4; ")
                  .arg(saved.coverage.rows)
                  .arg(saved.coverage.days)
                  .arg(AccountStats::coverageText(saved.coverage), saved.impact.bucketedIn);
        warning += set ? QCoreApplication::translate("SetTimezoneCommand", "they keep those day boundaries until re-backfilled: "
                                                                           "rollup-console backfill --account %1")
                             .arg(accountId)
                       : QCoreApplication::translate("SetTimezoneCommand",
                                                     "with the zone cleared the live path stops writing rollups; "
                                                     "existing rows stay");
        ctx.err << warning << Qt::endl;
    }
    return ExitOk;
}

} // namespace rollup
