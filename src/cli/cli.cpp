#include "cli/cli.h"

#include "cli/clicontext.h"
#include "cli/signalwatcher.h"
#include "core/localdate.h"
#include "core/cancellation.h"
#include "jobs/democluster.h"

#include <QCoreApplication>

namespace rollup {

int runDayBounds(CliContext &ctx);
int runBackfill(CliContext &ctx);
int runVerify(CliContext &ctx);
int runAccounts(CliContext &ctx);
int runSetTimezone(CliContext &ctx);
int runHistory(CliContext &ctx);

namespace {

struct Command
{
    const char *name;
    int (*run)(CliContext &);
    const char *summary; // translated when printed (context "Cli")
};

const Command kCommands[] = {
    {"accounts", runAccounts, QT_TRANSLATE_NOOP("Cli", "list accounts and their reporting_timezone state")},
    {"set-timezone", runSetTimezone, QT_TRANSLATE_NOOP("Cli", "set or clear an account's reporting_timezone (writes the IANA id)")},
    {"backfill", runBackfill, QT_TRANSLATE_NOOP("Cli", "rebuild rollups for an account and a range of local days")},
    {"verify", runVerify, QT_TRANSLATE_NOOP("Cli", "compare stored rollups with the raw events")},
    {"day-bounds", runDayBounds, QT_TRANSLATE_NOOP("Cli", "print the UTC windows of local days in a time zone")},
    {"history", runHistory, QT_TRANSLATE_NOOP("Cli", "print the console's own history of the changes it made to a database")},
};

void printUsage(QTextStream &out)
{
    out << QCoreApplication::translate("Cli", "usage: rollup-console [--demo [--reset]] [COMMAND [OPTIONS]]\n\n"
                                              "Without a command the graphical console opens.\n\n"
                                              "commands:\n");
    for (const Command &c : kCommands)
        out << "  " << QString::fromLatin1(c.name).leftJustified(12) << QCoreApplication::translate("Cli", c.summary)
            << '\n';
    out << QCoreApplication::translate("Cli", "\nglobal options:\n"
                                              "  --demo      use the console's private demo PostgreSQL (started and stopped automatically)\n"
                                              "  --reset     with --demo: drop and re-seed the demo database\n"
                                              "\n`rollup-console COMMAND --help` describes a command.\n");
    out.flush();
}

} // namespace

QStringList Cli::subcommands()
{
    QStringList out;
    for (const Command &c : kCommands)
        out << QString::fromLatin1(c.name);
    return out;
}

bool Cli::wantsCli(const QStringList &args)
{
    for (const QString &a : args) {
        if (a == QLatin1String("--demo") || a == QLatin1String("--reset"))
            continue;
        return true; // a command, --help, or something unknown (reported by run())
    }
    return false;
}

int Cli::run(const QStringList &args)
{
    CliContext ctx;
    QStringList rest = args;
    while (!rest.isEmpty() && (rest.first() == QLatin1String("--demo") || rest.first() == QLatin1String("--reset"))) {
        (rest.first() == QLatin1String("--demo") ? ctx.demo : ctx.reset) = true;
        rest.removeFirst();
    }
    if (rest.isEmpty() || rest.first() == QLatin1String("--help") || rest.first() == QLatin1String("-h")
        || rest.first() == QLatin1String("help")) {
        printUsage(ctx.out);
        return 0;
    }
    ctx.command = rest.takeFirst();
    // Global options are also accepted after the command.
    for (const QString &flag : {QStringLiteral("--demo"), QStringLiteral("--reset")}) {
        if (rest.removeAll(flag) > 0)
            (flag == QLatin1String("--demo") ? ctx.demo : ctx.reset) = true;
    }
    if (ctx.reset && !ctx.demo) {
        ctx.err << tr("rollup-console: --reset only goes with --demo") << Qt::endl;
        return ExitUsage;
    }
    ctx.args = rest;
    for (const Command &c : kCommands) {
        if (ctx.command == QLatin1String(c.name)) {
            DemoCluster demo;
            ctx.demoCluster = &demo;
            std::shared_ptr<CancelToken> cancel = ctx.cancel;
            SignalWatcher::install([cancel]() { cancel->cancel(); });
            return c.run(ctx);
        }
    }
    ctx.err << tr("rollup-console: unknown command '%1' (commands: %2)")
                   .arg(ctx.command, subcommands().join(QLatin1String(", ")))
            << Qt::endl;
    return ExitUsage;
}

} // namespace rollup
