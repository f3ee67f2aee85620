#include "cli/cli.h"

#include "cli/clicontext.h"
#include "cli/signalwatcher.h"
#include "core/cancellation.h"
#include "core/identity.h"
#include "core/localdate.h"
#include "jobs/democluster.h"

#include <QCoreApplication>

#include <algorithm>
#include <utility>

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
    const char *example; // the last lines of the command's --help: a command line, not translated
};

const Command kCommands[] = {
    {"accounts", runAccounts, QT_TRANSLATE_NOOP("Cli", "list accounts and their reporting_timezone state"),
     "rollup-console accounts --format csv > accounts.csv"},
    {"set-timezone", runSetTimezone,
     QT_TRANSLATE_NOOP("Cli", "set or clear an account's reporting_timezone (writes the IANA id)"),
     "rollup-console set-timezone --account 1 --timezone America/Sao_Paulo"},
    {"backfill", runBackfill, QT_TRANSLATE_NOOP("Cli", "rebuild rollups for an account and a range of local days"),
     "rollup-console backfill --account 1 --from 2024-01-01 --to 2024-01-31 --dry-run"},
    {"verify", runVerify, QT_TRANSLATE_NOOP("Cli", "compare stored rollups with the raw events"),
     "rollup-console verify --account 1 --only-mismatches --format csv > differences.csv"},
    {"day-bounds", runDayBounds, QT_TRANSLATE_NOOP("Cli", "print the UTC windows of local days in a time zone"),
     "rollup-console day-bounds --timezone America/Sao_Paulo --from 2018-11-03 --to 2018-11-05"},
    {"history", runHistory, QT_TRANSLATE_NOOP("Cli", "print the console's own history of the changes it made to a database"),
     "rollup-console history --account 1 --format csv"},
};

// Two columns: names padded to the longest name plus two spaces.
void printColumns(QTextStream &out, const QList<std::pair<QString, QString>> &rows)
{
    qsizetype width = 0;
    for (const auto &row : rows)
        width = std::max(width, row.first.size());
    for (const auto &[name, text] : rows)
        out << "  " << name.leftJustified(width + 2) << text << '\n';
}

void printUsage(QTextStream &out)
{
    out << Cli::tr("Usage: rollup-console [--demo [--reset]] [COMMAND [OPTIONS]]") << "\n\n"
        << Cli::tr("Without a command the graphical console opens.") << "\n\n"
        << Cli::tr("Commands:") << '\n';
    QList<std::pair<QString, QString>> commands;
    for (const Command &c : kCommands)
        commands.append({QString::fromLatin1(c.name), Cli::tr(c.summary)});
    printColumns(out, commands);
    out << '\n' << Cli::tr("Global options:") << '\n';
    printColumns(out, {{QStringLiteral("--demo"),
                        Cli::tr("use the console's private demo PostgreSQL (started and stopped automatically)")},
                       {QStringLiteral("--reset"), Cli::tr("with --demo: drop and re-seed the demo database")},
                       {QStringLiteral("--version"), Cli::tr("print the version and exit")},
                       {QStringLiteral("-h, --help"), Cli::tr("print this help; after a command, that command's help")}});
    out << '\n' << Cli::tr("Exit codes:") << '\n';
    printColumns(out, {{QStringLiteral("%1").arg(int(ExitOk)), Cli::tr("success; verify: every key matches")},
                       {QStringLiteral("%1").arg(int(ExitDifferences)),
                        Cli::tr("verify: differences found; backfill: failed part-way (finished days keep their new rows)")},
                       {QStringLiteral("%1").arg(int(ExitUsage)),
                        Cli::tr("usage error, refused input, connection or schema problem (nothing written)")},
                       {QStringLiteral("%1").arg(int(ExitCancelled)), Cli::tr("cancelled by Ctrl-C or SIGTERM")}});
    out << '\n'
        << Cli::tr("`rollup-console COMMAND --help` describes a command.") << "\n\n"
        << Cli::tr("Example:") << "\n  rollup-console --demo accounts\n";
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
    if (rest.first() == QLatin1String("--version")) {
        ctx.out << "rollup-console " << Identity::versionText() << Qt::endl;
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
            ctx.example = QString::fromLatin1(c.example);
            std::shared_ptr<CancelToken> cancel = ctx.cancel;
            SignalWatcher::install([cancel]() { cancel->cancel(); });
            return c.run(ctx);
        }
    }
    ctx.err << tr("rollup-console: unknown command '%1' (commands: %2)").arg(ctx.command, subcommands().join(QLatin1String(", ")))
            << Qt::endl;
    return ExitUsage;
}

} // namespace rollup
