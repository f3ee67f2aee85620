#include "core/statedirectory.h"

#include <QCryptographicHash>
#include <QDir>
#include <QRegularExpression>

namespace rollup {

QString StateDirectory::path(const QString &subdirectory)
{
    QString base = qEnvironmentVariable("XDG_STATE_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/state");
    QString dir = base + QStringLiteral("/rollup-console");
    if (!subdirectory.isEmpty())
        dir += QLatin1Char('/') + subdirectory;
    QDir().mkpath(dir);
    return dir;
}

QString StateDirectory::databaseKey(const ConnectionSettings &settings)
{
    // What libpq connects to: a field left empty is taken from its PG* variable, as libpq does,
    // so two databases reached through the environment never share a key.
    auto fromEnv
        = [](const QString &value, const char *variable) { return value.isEmpty() ? qEnvironmentVariable(variable) : value; };
    const QString envHost = fromEnv(settings.host, "PGHOST");
    const QString envPort = settings.port ? QString::number(settings.port) : qEnvironmentVariable("PGPORT");
    const QString user = fromEnv(settings.user, "PGUSER");
    const QString envDatabase = fromEnv(settings.database, "PGDATABASE");
    const QString host = envHost.isEmpty() ? QStringLiteral("local") : envHost;
    const QString port = envPort.isEmpty() ? QStringLiteral("5432") : envPort;
    const QString database = envDatabase.isEmpty() ? user : envDatabase;
    const QString readable = QStringLiteral("%1_%2_%3").arg(host, port, database);
    const QByteArray hash = QCryptographicHash::hash(readable.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    QString safe = readable;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return safe.left(80) + QLatin1Char('-') + QString::fromLatin1(hash);
}

} // namespace rollup
