#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace rollup {

// The rollup-console binary (ROLLUP_CONSOLE_BIN, set by ctest) run as a script runs it: no
// terminal (it never prompts), "now" pinned unless the caller's environment says otherwise.
struct CliRun
{
    int code = -1; // -1: it did not exit normally (killed, crashed, timed out)
    QString out;
    QString err;

    static CliRun run(const QStringList &args, const QProcessEnvironment &extra = {}, int timeoutMs = 300000)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!env.contains(QStringLiteral("ROLLUP_CONSOLE_NOW")))
            env.insert(QStringLiteral("ROLLUP_CONSOLE_NOW"), QStringLiteral("2026-03-10T12:00:00Z"));
        for (const QString &k : extra.keys())
            env.insert(k, extra.value(k));
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("ROLLUP_CONSOLE_BIN"), args);
        p.closeWriteChannel();
        if (!p.waitForFinished(timeoutMs))
            p.kill();
        p.waitForFinished(5000);
        return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                      QString::fromUtf8(p.readAllStandardError())};
    }
};

} // namespace rollup
