#include "jobs/demoserver.h"

#include "db/dberror.h"

#include <QCollator>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <algorithm>

#include <csignal>
#include <pwd.h>
#include <unistd.h>

namespace rollup {

namespace {

QString generatePassword()
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString out;
    for (int i = 0; i < 32; ++i)
        out += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet - 1))]);
    return out;
}

bool chownToPostgres(const QString &path)
{
    const passwd *pw = ::getpwnam("postgres");
    return pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

} // namespace

DemoServer::DemoServer(QString baseDir)
    : m_baseDir(baseDir.isEmpty() ? defaultBaseDir() : baseDir), m_binDir(serverBinDir()), m_asPostgres(::geteuid() == 0)
{
}

QString DemoServer::defaultBaseDir()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/rollup-console/demo");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/rollup-console/demo");
}

QString DemoServer::serverBinDir()
{
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), collator);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString bin = root.filePath(*it + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    return {};
}

bool DemoServer::prepare(QString *error) const
{
    if (m_binDir.isEmpty()) {
        *error = tr("PostgreSQL server binaries not found under /usr/lib/postgresql (install the postgresql package)");
        return false;
    }
    if (!QDir().mkpath(m_baseDir)) {
        *error = tr("cannot create %1").arg(m_baseDir);
        return false;
    }
    QFile::setPermissions(m_baseDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (m_asPostgres && !chownToPostgres(m_baseDir)) {
        *error = tr("cannot hand %1 to the postgres system user").arg(m_baseDir);
        return false;
    }
    return true;
}

bool DemoServer::hasCluster() const
{
    return QFile::exists(dataDir() + QStringLiteral("/PG_VERSION"));
}

bool DemoServer::createCluster(const CancelToken &cancel, QString *error) const
{
    const QString pwFile = passwordFile();
    QFile pw(pwFile);
    if (!pw.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("cannot write %1").arg(pwFile);
        return false;
    }
    pw.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    pw.write(generatePassword().toLatin1() + '\n');
    pw.close();
    if (m_asPostgres)
        chownToPostgres(pwFile);
    // initdb writes into a directory of its own, renamed to data/ once complete: a cancelled or
    // failed initdb never leaves a data/ that a later start would take for a cluster.
    const QString newDir = dataDir() + QStringLiteral(".initdb");
    QDir(newDir).removeRecursively();
    QDir(dataDir()).removeRecursively();
    QString output;
    if (!runTool(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), newDir, QStringLiteral("-U"), QStringLiteral("rollup"),
                  QStringLiteral("--pwfile=") + pwFile, QStringLiteral("--auth-host=scram-sha-256"),
                  QStringLiteral("--auth-local=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                  QStringLiteral("--no-locale")},
                 &output, &cancel)) {
        QDir(newDir).removeRecursively();
        *error = cancel.isCancelled() ? tr("cancelled") : tr("initdb failed: %1").arg(oneLine(output).right(300));
        return false;
    }
    if (!QDir().rename(newDir, dataDir())) {
        *error = tr("cannot rename %1 to %2").arg(newDir, dataDir());
        return false;
    }
    return true;
}

int DemoServer::runningPort() const
{
    QFile file(portFile());
    if (!runTool(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), dataDir(), QStringLiteral("status")}, nullptr)
        || !file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toInt();
}

bool DemoServer::start(int port, QString *output) const
{
    const bool started
        = runTool(QStringLiteral("pg_ctl"),
                  {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_baseDir + QStringLiteral("/server.log"),
                   QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"),
                   QStringLiteral("-p %1 -c listen_addresses=127.0.0.1 -c unix_socket_directories=%2").arg(port).arg(m_baseDir),
                   QStringLiteral("start")},
                  output);
    if (!started) {
        stop(); // pg_ctl gave up waiting, or the port was taken: no server stays behind
        return false;
    }
    QFile file(portFile());
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QByteArray::number(port));
    return true;
}

void DemoServer::stop() const
{
    if (QFile::exists(dataDir() + QStringLiteral("/postmaster.pid")))
        runTool(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                 QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("stop")},
                nullptr);
    QFile::remove(portFile());
}

std::optional<ConnectionSettings> DemoServer::settings(int port, QString *error) const
{
    QFile pw(passwordFile());
    if (!pw.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read the demo password file %1").arg(pw.fileName());
        return std::nullopt;
    }
    ConnectionSettings server;
    server.host = QStringLiteral("127.0.0.1");
    server.port = port;
    server.user = QStringLiteral("rollup");
    server.password = QString::fromLatin1(pw.readAll()).trimmed();
    server.database = QStringLiteral("postgres");
    server.sslMode = QStringLiteral("disable");
    server.source = QStringLiteral("demo");
    return server;
}

bool DemoServer::runTool(const QString &tool, const QStringList &args, QString *output, const CancelToken *cancel) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    // A child inherits the signal mask, and SignalWatcher blocks SIGINT/SIGTERM/SIGHUP in every
    // thread of the console: unblock them in the child (between fork and exec), so terminate()
    // below reaches the tool and initdb can clean up.
    p.setChildProcessModifier([]() {
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
    });
    const QString exe = m_binDir + QLatin1Char('/') + tool;
    if (m_asPostgres)
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), exe} + args);
    else
        p.start(exe, args);
    const QDeadlineTimer deadline(180000);
    while (!p.waitForFinished(100)) {
        if (p.state() == QProcess::NotRunning)
            break; // it did not start
        if ((cancel && cancel->isCancelled()) || deadline.hasExpired()) {
            p.terminate(); // runuser passes SIGTERM on; initdb then removes what it wrote
            if (!p.waitForFinished(10000)) {
                p.kill();
                p.waitForFinished();
            }
            break;
        }
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll()) + (p.error() == QProcess::FailedToStart ? p.errorString() : QString());
    return p.error() != QProcess::FailedToStart && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0
           && !(cancel && cancel->isCancelled());
}

} // namespace rollup
