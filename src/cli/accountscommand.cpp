#include "cli/clicontext.h"
#include "core/daywindow.h"
#include "core/tablewriter.h"
#include "core/zoneresolver.h"
#include "jobs/accountsjob.h"

#include <QCoreApplication>
#include <QFuture>
#include <QFutureSynchronizer>
#include <QtConcurrent/QtConcurrentRun>
#include <QHash>

#include <date/tz.h>

namespace rollup {

int runAccounts(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "AccountsCommand",
        "Lists the accounts with their reporting_timezone state, rollup rows and dates, and first/last event day "
        "(local to the account's zone; the UTC date with a \" UTC\" suffix when the zone is not usable)."));
    parser.addOption({QStringLiteral("format"), QCoreApplication::translate("AccountsCommand", "table (default), csv or json"),
                      QStringLiteral("format"), QStringLiteral("table")});
    CliContext::addConnectionOptions(parser);
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? 0 : 2;
    OutputFormat format;
    if (!TableWriter::parseFormat(parser.value(QStringLiteral("format")), &format,
                                  {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")}))
        return ctx.fail(QCoreApplication::translate("AccountsCommand", "--format must be table, csv or json, not '%1'")
                            .arg(parser.value(QStringLiteral("format"))));
    // This machine's tz database is read (on first use: a walk of the zoneinfo tree) while the
    // connection is checked and the server works; the synchronizer waits for it on every return.
    QFutureSynchronizer<void> zones(QtConcurrent::run(Jobs::pool(), &ZoneResolver::preload));
    const std::optional<JobContext> context = ctx.connect(parser);
    if (!context)
        return 2;
    // The list (names and settings of every account) and the statistics of every account (the
    // probes, most of the time) at once. An account created meanwhile may lack its statistics.
    QFuture<AccountsLoad> listing
        = QtConcurrent::run(Jobs::pool(), [&context]() { return AccountsJob::load(*context, false); });
    const AccountStatsLoad statistics = AccountsJob::loadStats(*context, std::nullopt);
    const AccountsLoad load = listing.result();
    zones.waitForFinished();
    if (!load.error.isEmpty())
        return ctx.fail(load.error);
    if (!statistics.error.isEmpty())
        return ctx.fail(statistics.error);
    const QList<AccountRow> &accounts = load.accounts;
    const QHash<qint64, AccountStats> &stats = statistics.stats;
    const SysSeconds now = CliContext::now();
    QList<QStringList> rows;
    QHash<const date::time_zone *, QString> localNows; // one per zone: thousands of accounts share a few zones
    for (const AccountRow &a : accounts) {
        const ZoneResolution z = a.zone();
        QString localNow;
        if (z.usable()) {
            auto it = localNows.constFind(z.zone);
            if (it == localNows.cend())
                it = localNows.insert(z.zone, QString::fromStdString(date::format("%F %H:%M %Z", date::make_zoned(z.zone, now))));
            localNow = *it;
        }
        const AccountStats st = stats.value(a.id);
        rows << QStringList{QString::number(a.id),
                            a.name,
                            a.storedTimezoneText(),
                            z.stateName(),
                            z.usable() ? z.ianaId : z.reason,
                            localNow,
                            st.rollups.first ? formatLocalDate(*st.rollups.first) : QString(),
                            st.rollups.last ? formatLocalDate(*st.rollups.last) : QString(),
                            AccountStats::eventDayText(st.events.first, z),
                            AccountStats::eventDayText(st.events.last, z)};
    }
    TableWriter::write(ctx.out, format,
                       {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("stored_timezone"), QStringLiteral("state"),
                        QStringLiteral("resolved"), QStringLiteral("local_now"), QStringLiteral("rollup_first"),
                        QStringLiteral("rollup_last"), QStringLiteral("first_event_day"), QStringLiteral("last_event_day")},
                       rows, {true, false, false, false, false, false, false, false, false, false});
    return 0;
}

} // namespace rollup
