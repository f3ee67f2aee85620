#pragma once

// bench_scale's side of the rollup-console binary: runs it as a child process and measures it.

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace rollup::scale {

double median(QList<double> values);

// One finished run of the CLI.
struct ChildRun
{
    int exitCode = -1; // -1: killed by a signal or not started
    double seconds = 0; // wall clock, spawn to exit
    double peakRssMb = 0; // the child's own peak RSS (with any children it waited for)
    QString stdoutPath; // what it wrote on stdout (overwritten by the next run)
    QString stderrText;

    QString lastErrorLine() const;
    // QCommandLineParser's "Unknown option 'all'.": the binary does not have the option.
    bool unknownOption() const;
};

// Runs `program ARGS --database-url URL` with posix_spawn and waits with wait4(), so the peak
// RSS is that child's own (RUSAGE_CHILDREN would keep the largest of all children so far).
// stdin is /dev/null, stdout and stderr go to files in `dir`; ROLLUP_CONSOLE_NOW is pinned to
// kNow and DATABASE_URL removed from its environment. Blocks until the child exits.
class CliRunner
{
public:
    CliRunner(QString program, QString url, QString dir);
    ChildRun run(const QStringList &args);

private:
    QString m_program;
    QString m_url;
    QString m_dir;
};

// Lines of a CSV output, and the distinct values of its account column when it has one.
struct CsvSummary
{
    qint64 lines = 0;
    qint64 accounts = -1; // -1: no account_id/account column
};
CsvSummary summarizeCsv(const QString &path);

// A command timed `runs` times after one untimed warm-up run: the median and the peak RSS.
// `before` (optional) runs before each timed run, so a unit measured there sits right beside it.
// Stops at the first run that does not exit 0 (ok false, `last` tells why).
struct Timed
{
    double seconds = 0;
    double peakRssMb = 0;
    ChildRun last;
    bool ok = false;
};
Timed timeCli(CliRunner &cli, const QStringList &args, int runs, const std::function<void()> &before = {});

} // namespace rollup::scale
