#pragma once

#include "db/connectionsettings.h"

#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include <memory>

namespace rollup {

class Connection;
class DemoCluster;
class CancelToken;

// What every subcommand gets: its arguments, output streams, the connection choice and a
// cancel token that Ctrl-C / SIGTERM trips. Lives in the main thread.
struct CliContext
{
    QString command;
    QStringList args;           // the subcommand's own arguments (without its name)
    bool demo = false;
    bool reset = false;
    QTextStream out;
    QTextStream err;
    std::shared_ptr<CancelToken> cancel;
    DemoCluster *demoCluster = nullptr; // started lazily by connect()

    CliContext();
    ~CliContext();

    // Adds --database-url, --lock-timeout, --statement-timeout (DB subcommands).
    static void addConnectionOptions(QCommandLineParser &parser);
    // Resolves the connection (flag, DATABASE_URL, POSTGRES_*, PG*, or the demo) and opens it,
    // then runs the schema check. Prints the one-line error and returns null on failure.
    std::unique_ptr<Connection> connect(const QCommandLineParser &parser);
    // Parses; on error prints it and returns false (exit 2). Handles --help (exit 0 via helpShown).
    bool parse(QCommandLineParser &parser, bool *helpShown);
    int fail(const QString &message, int code = 2); // prints "rollup-console <cmd>: message"
    bool stdinIsTerminal() const;
    bool stderrIsTerminal() const;
};

} // namespace rollup
