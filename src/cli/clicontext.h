#pragma once

#include "core/connectionsettings.h"
#include "core/localdate.h"
#include "core/rangeplan.h"
#include "jobs/connectioncheck.h"
#include "jobs/job.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>
#include <QTextStream>

#include <memory>
#include <optional>

namespace rollup {

class DemoCluster;
class CancelToken;

// What every subcommand gets: its arguments, output streams, the connection choice and a
// cancel token that Ctrl-C / SIGTERM trips. Lives in the main thread.
struct CliContext
{
    Q_DECLARE_TR_FUNCTIONS(CliContext)

public:
    QString command;
    QStringList args; // the subcommand's own arguments (without its name)
    QString example; // a command line that ends the subcommand's --help
    bool demo = false;
    bool reset = false;
    QTextStream out;
    QTextStream err;
    std::shared_ptr<CancelToken> cancel;
    DemoCluster *demoCluster = nullptr; // started lazily by connect()
    std::optional<ReplicaTest> replica; // set by connect() when the settings name a replica

    CliContext();
    ~CliContext();

    // Adds --database-url, --replica-url, --lock-timeout, --statement-timeout (DB subcommands).
    static void addConnectionOptions(QCommandLineParser &parser);
    // Adds --account ID.
    static void addAccountOption(QCommandLineParser &parser);
    // Adds --from, --to, --include-today (the backfill's range options).
    static void addRangeOptions(QCommandLineParser &parser, const QString &includeTodayHelp);
    // The --account value, checked; prints the one-line error and returns nullopt when it is
    // missing or not a positive 32-bit id.
    std::optional<qint64> accountId(const QCommandLineParser &parser);
    // --from/--to/--include-today, dates checked before anything touches the network.
    std::optional<RangeRequest> rangeRequest(const QCommandLineParser &parser);
    // "Now" for range defaults; ROLLUP_CONSOLE_NOW (an ISO instant) pins it (tests, replays).
    static SysSeconds now();
    // What the command will do on the primary.
    enum class Access { Read, Write };
    // Resolves the connection (flag, DATABASE_URL, POSTGRES_*, PG*, or the demo) and the replica
    // (--replica-url, else ROLLUP_REPLICA_URL), checks that the server answers and has the
    // Chatwoot tables, and returns the context jobs run with (its cancel is this context's,
    // tripped by Ctrl-C). A command that writes is refused here when the server is a standby
    // in recovery; every command is refused when the connection goes through a transaction
    // pool. With a replica, a line on stderr names both servers and the replica's lag. Prints
    // the one-line error and returns nullopt on failure.
    std::optional<JobContext> connect(const QCommandLineParser &parser, Access access = Access::Read);
    // The connection choice without connecting (--database-url, else the environment; with
    // --demo the demo database, its server not started), for what is local to the console such
    // as its history. Prints the one-line error and returns nullopt on failure.
    std::optional<ConnectionSettings> chosenSettings(const QCommandLineParser &parser);
    // Parses; on error prints it and returns false (exit 2). Handles -h/--help (exit 0 via
    // helpShown): "Usage: rollup-console COMMAND [options]", the description, the options, then
    // `example`.
    bool parse(QCommandLineParser &parser, bool *helpShown);
    QString helpText(const QCommandLineParser &parser) const;
    int fail(const QString &message, int code = 2); // prints "rollup-console <cmd>: message"
    bool stdinIsTerminal() const;
    bool stderrIsTerminal() const;
};

} // namespace rollup
