#include "jobs/democluster.h"

#include "db/connection.h"
#include "db/dberror.h"
#include "db/schema.h"

#include <QCollator>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollup {

namespace {

// A loopback port nobody listens on, below the kernel's ephemeral range (32768+) so that a
// client connection's source port cannot take it before the server binds it.
int freeLoopbackPort()
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = 20000 + int(QRandomGenerator::system()->bounded(12000));
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return 0;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(quint16(port));
        const bool free = ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
        ::close(fd);
        if (free)
            return port;
    }
    return 0;
}

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

DemoCluster::DemoCluster(QString baseDir)
    : m_baseDir(baseDir.isEmpty() ? defaultBaseDir() : baseDir), m_binDir(serverBinDir()), m_asPostgres(::geteuid() == 0)
{
}

DemoCluster::~DemoCluster() { stop(); }

QString DemoCluster::defaultBaseDir()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/rollup-console/demo");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/rollup-console/demo");
}

QString DemoCluster::serverBinDir()
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

bool DemoCluster::runTool(const QString &tool, const QStringList &args, QString *output) const
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    const QString exe = m_binDir + QLatin1Char('/') + tool;
    if (m_asPostgres)
        p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), exe} + args);
    else
        p.start(exe, args);
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool DemoCluster::start(bool reset, QString *error, const std::function<void(const QString &)> &log)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    auto say = [&log](const QString &line) {
        if (log)
            log(line);
    };
    if (m_binDir.isEmpty())
        return fail(tr("PostgreSQL server binaries not found under /usr/lib/postgresql (install the postgresql package)"));
    const QString dataDir = m_baseDir + QStringLiteral("/data");
    const QString pwFile = m_baseDir + QStringLiteral("/password");
    if (!QDir().mkpath(m_baseDir))
        return fail(tr("cannot create %1").arg(m_baseDir));
    QFile::setPermissions(m_baseDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (m_asPostgres && !chownToPostgres(m_baseDir))
        return fail(tr("cannot hand %1 to the postgres system user").arg(m_baseDir));

    QString out;
    if (!QFile::exists(dataDir + QStringLiteral("/PG_VERSION"))) {
        say(tr("creating the demo cluster in %1").arg(dataDir));
        QFile pw(pwFile);
        if (!pw.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(tr("cannot write %1").arg(pwFile));
        pw.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        pw.write(generatePassword().toLatin1() + '\n');
        pw.close();
        if (m_asPostgres)
            chownToPostgres(pwFile);
        QDir(dataDir).removeRecursively();
        if (!runTool(QStringLiteral("initdb"), {QStringLiteral("-D"), dataDir, QStringLiteral("-U"), QStringLiteral("rollup"),
                                                QStringLiteral("--pwfile=") + pwFile, QStringLiteral("--auth-host=scram-sha-256"),
                                                QStringLiteral("--auth-local=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                                                QStringLiteral("--no-locale")},
                     &out))
            return fail(tr("initdb failed: %1").arg(oneLine(out).right(300)));
        reset = true;
    }
    QFile pw(pwFile);
    if (!pw.open(QIODevice::ReadOnly))
        return fail(tr("cannot read the demo password file %1").arg(pwFile));
    const QString password = QString::fromLatin1(pw.readAll()).trimmed();

    int port = 0;
    QFile portFile(m_baseDir + QStringLiteral("/port"));
    if (runTool(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), dataDir, QStringLiteral("status")}, &out)
        && portFile.open(QIODevice::ReadOnly)) {
        port = portFile.readAll().trimmed().toInt();
        portFile.close();
        say(tr("reusing the running demo server on port %1").arg(port));
    } else {
        bool started = false;
        for (int attempt = 0; attempt < 3 && !started; ++attempt) { // the port may be taken meanwhile
            port = freeLoopbackPort();
            if (!port)
                return fail(tr("no free loopback port"));
            say(tr("starting the demo server on 127.0.0.1:%1").arg(port));
            started = runTool(QStringLiteral("pg_ctl"),
                              {QStringLiteral("-D"), dataDir, QStringLiteral("-l"), m_baseDir + QStringLiteral("/server.log"),
                               QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"),
                               QStringLiteral("-p %1 -c listen_addresses=127.0.0.1 -c unix_socket_directories=%2").arg(port).arg(m_baseDir),
                               QStringLiteral("start")},
                              &out);
        }
        if (!started)
            return fail(tr("the demo server did not start: %1 (see %2/server.log)").arg(oneLine(out).right(200), m_baseDir));
        if (portFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            portFile.write(QByteArray::number(port));
            portFile.close();
        }
    }
    m_started = true;

    m_settings = ConnectionSettings{};
    m_settings.host = QStringLiteral("127.0.0.1");
    m_settings.port = port;
    m_settings.user = QStringLiteral("rollup");
    m_settings.password = password;
    m_settings.database = QStringLiteral("postgres");
    m_settings.sslMode = QStringLiteral("disable");
    m_settings.source = QStringLiteral("demo");
    try {
        bool exists = false;
        {
            Connection admin(m_settings);
            QSqlQuery q = admin.run(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"), {QString::fromLatin1(kDatabase)});
            exists = q.next();
            if (exists && reset) {
                say(tr("dropping the demo database"));
                admin.runScript(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(QLatin1String(kDatabase)));
                exists = false;
            }
            if (!exists)
                admin.runScript(QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(kDatabase)));
        }
        m_settings.database = QString::fromLatin1(kDatabase);
        if (!exists) {
            say(tr("creating the schema and seeding the demo data"));
            QElapsedTimer clock;
            clock.start();
            Connection c(m_settings);
            c.begin();
            c.runScript(Schema::schemaSql(), tr("creating the schema"));
            c.runScript(Schema::demoSeedSql(), tr("seeding the demo data"));
            c.commit();
            c.runScript(QStringLiteral("ANALYZE"));
            m_seedSeconds = clock.nsecsElapsed() / 1e9;
            say(tr("demo data seeded in %1 s").arg(m_seedSeconds, 0, 'f', 1));
        }
    } catch (const DbError &e) {
        stop();
        return fail(e.message());
    }
    return true;
}

void DemoCluster::stop()
{
    if (!m_started)
        return;
    m_started = false;
    runTool(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_baseDir + QStringLiteral("/data"), QStringLiteral("-m"),
                                       QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")},
            nullptr);
    QFile::remove(m_baseDir + QStringLiteral("/port"));
}

} // namespace rollup
