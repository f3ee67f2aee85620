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
    // The server libpq connects to (PG* variables included), so two databases reached through
    // the environment never share a key.
    const ConnectionSettings e = settings.withLibpqEnvironment();
    const QString host = e.host.isEmpty() ? QStringLiteral("local") : e.host;
    const QString port = QString::number(e.port ? e.port : 5432);
    const QString database = e.database.isEmpty() ? e.user : e.database;
    const QString readable = QStringLiteral("%1_%2_%3").arg(host, port, database);
    const QByteArray hash = QCryptographicHash::hash(readable.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    QString safe = readable;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return safe.left(80) + QLatin1Char('-') + QString::fromLatin1(hash);
}

} // namespace rollup
