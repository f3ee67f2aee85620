#include "scale_cli.h"

#include "scale_data.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

extern char **environ;

namespace rollup::scale {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n == 0 ? 0.0 : n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

QString ChildRun::lastErrorLine() const
{
    const QStringList lines = stderrText.trimmed().split(QLatin1Char('\n'));
    return lines.isEmpty() ? QString() : lines.last().left(300);
}

bool ChildRun::unknownOption() const
{
    return exitCode == 2 && stderrText.contains(QLatin1String("nknown option"));
}

CliRunner::CliRunner(QString program, QString url, QString dir)
    : m_program(std::move(program)), m_url(std::move(url)), m_dir(std::move(dir))
{
}

ChildRun CliRunner::run(const QStringList &args)
{
    ChildRun r;
    r.stdoutPath = m_dir + QStringLiteral("/stdout");
    const QString stderrPath = m_dir + QStringLiteral("/stderr");
    std::vector<QByteArray> argStore{m_program.toLocal8Bit()};
    for (const QString &a : args + QStringList{QStringLiteral("--database-url"), m_url})
        argStore.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> envStore;
    for (char **e = environ; *e; ++e) {
        const QByteArray entry(*e);
        if (!entry.startsWith("ROLLUP_CONSOLE_NOW=") && !entry.startsWith("DATABASE_URL="))
            envStore.push_back(entry);
    }
    envStore.push_back(QByteArray("ROLLUP_CONSOLE_NOW=") + kNow);
    std::vector<char *> envp;
    for (QByteArray &e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const QByteArray outFile = r.stdoutPath.toLocal8Bit();
    const QByteArray errFile = stderrPath.toLocal8Bit();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outFile.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errFile.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    QElapsedTimer clock;
    clock.start();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argStore.front().constData(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.stderrText = QStringLiteral("cannot start %1: %2").arg(m_program, QString::fromLocal8Bit(std::strerror(rc)));
        return r;
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
    r.seconds = clock.nsecsElapsed() / 1e9;
    r.peakRssMb = usage.ru_maxrss / 1024.0; // Linux: kilobytes
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    QFile err(stderrPath);
    if (err.open(QIODevice::ReadOnly))
        r.stderrText = QString::fromLocal8Bit(err.readAll());
    return r;
}

CsvSummary summarizeCsv(const QString &path)
{
    CsvSummary s;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return s;
    int accountColumn = -1;
    QSet<QByteArray> accounts;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (s.lines++ == 0) {
            const QList<QByteArray> header = line.trimmed().split(',');
            for (int i = 0; i < header.size(); ++i)
                if (header.at(i) == "account_id" || header.at(i) == "account")
                    accountColumn = i;
            continue;
        }
        if (accountColumn >= 0) {
            const QList<QByteArray> cols = line.split(',');
            if (accountColumn < cols.size())
                accounts.insert(cols.at(accountColumn));
        }
    }
    if (accountColumn >= 0)
        s.accounts = accounts.size();
    return s;
}

Timed timeCli(CliRunner &cli, const QStringList &args, int runs, const std::function<void()> &before)
{
    Timed t;
    t.last = cli.run(args);
    QList<double> times;
    for (int i = 0; i < runs && t.last.exitCode == 0; ++i) {
        if (before)
            before();
        t.last = cli.run(args);
        times << t.last.seconds;
        t.peakRssMb = std::max(t.peakRssMb, t.last.peakRssMb);
    }
    t.ok = t.last.exitCode == 0;
    t.seconds = median(times);
    return t;
}

} // namespace rollup::scale
