#include "cli/cli.h"
#include "cli/clicontext.h"
#include "core/historyjournal.h"
#include "core/tablewriter.h"

#include <QCoreApplication>

namespace rollup {

// history [--account ID] [--format table|csv|json]: the console's own journal of the write
// actions made against one database (HistoryJournal), oldest first. Local: it never connects.
int runHistory(CliContext &ctx)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "HistoryCommand",
        "Prints the console's own history of the changes it made to one database, oldest first: time zones set or "
        "cleared, backfills (range, days, rows deleted and written, outcome, duration), the read path enabled, fleet "
        "backfills; who, when and against which server. A run that never recorded its end (killed, crashed) shows "
        "as \"not finished\". The history is local to this machine (one file per database in the console's state "
        "directory); the database is named as for the other commands, and not connected to."));
    CliContext::addAccountOption(parser);
    parser.addOption({QStringLiteral("format"), QCoreApplication::translate("HistoryCommand", "table (default), csv or json"),
                      QStringLiteral("format"), QStringLiteral("table")});
    parser.addOption({QStringLiteral("database-url"),
                      QCoreApplication::translate("HistoryCommand", "postgres://user@host:port/db whose history to print (else "
                                                                    "DATABASE_URL, Chatwoot's POSTGRES_*, libpq's PG*)"),
                      QStringLiteral("url")});
    bool help = false;
    if (!ctx.parse(parser, &help))
        return help ? ExitOk : ExitUsage;
    qint64 accountId = 0;
    if (parser.isSet(QStringLiteral("account"))) {
        const std::optional<qint64> id = ctx.accountId(parser);
        if (!id)
            return ExitUsage;
        accountId = *id;
    }
    OutputFormat format;
    if (!TableWriter::parseFormat(parser.value(QStringLiteral("format")), &format,
                                  {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")}))
        return ctx.fail(QCoreApplication::translate("HistoryCommand", "--format must be table, csv or json, not '%1'")
                            .arg(parser.value(QStringLiteral("format"))));
    const std::optional<ConnectionSettings> settings = ctx.chosenSettings(parser);
    if (!settings)
        return ExitUsage;

    const HistoryJournal journal = HistoryJournal::forDatabase(*settings);
    QString error;
    const QList<HistoryEntry> entries = journal.entries(accountId, &error);
    if (!error.isEmpty())
        return ctx.fail(error);
    if (entries.isEmpty())
        ctx.err << QCoreApplication::translate("HistoryCommand", "no history of %1%2 (%3)")
                       .arg(HistoryJournal::serverName(*settings),
                            accountId ? QCoreApplication::translate("HistoryCommand", " for account %1").arg(accountId)
                                      : QString(),
                            journal.path())
                << Qt::endl;

    // A table leaves out the details (JSON, for csv and json); the other columns are the same.
    QStringList header = HistoryJournal::columns();
    const bool details = format != OutputFormat::Table;
    if (!details)
        header.removeLast();
    QList<bool> numeric(header.size(), false);
    numeric[header.indexOf(QStringLiteral("account"))] = true;
    TableWriter writer(ctx.out, format, header, numeric);
    for (const HistoryEntry &e : entries) {
        QStringList cells = HistoryJournal::cells(e);
        if (!details)
            cells.removeLast();
        writer.row(cells);
    }
    writer.finish();
    return ExitOk;
}

} // namespace rollup
