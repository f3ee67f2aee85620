#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace rollup {

// Exit codes of every subcommand.
enum ExitCode { ExitOk = 0, ExitDifferences = 1, ExitFailed = 1, ExitUsage = 2, ExitCancelled = 130 };

// The CLI half of the binary. Global options (--demo, --reset) may precede the subcommand.
class Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)

public:
    static QStringList subcommands();
    // True when `args` (argv without the program) name a subcommand or ask for CLI help.
    static bool wantsCli(const QStringList &args);
    // Runs in the main thread with a QCoreApplication alive; returns the exit code.
    static int run(const QStringList &args);
};

} // namespace rollup
