#include "core/connectionsettings.h"

#include "core/identity.h"

#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

namespace rollup {

namespace {

const QStringList kSslModes = {QStringLiteral("disable"), QStringLiteral("allow"),     QStringLiteral("prefer"),
                               QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")};

bool validPercentEncoding(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('%'))
            continue;
        if (i + 2 >= text.size() || !isxdigit(text.at(i + 1).toLatin1()) || !isxdigit(text.at(i + 2).toLatin1()))
            return false;
        i += 2;
    }
    return true;
}

} // namespace

std::optional<ConnectionSettings> ConnectionSettings::fromUrl(const QString &url, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<ConnectionSettings> {
        if (error) {
            QString clean = why;
            for (QChar &c : clean)
                if (c.category() == QChar::Other_Control)
                    c = QLatin1Char('?');
            *error = tr("invalid database URL: %1").arg(clean);
        }
        return std::nullopt;
    };
    const QString trimmed = url.trimmed();
    if (trimmed.isEmpty())
        return fail(tr("empty"));
    if (!validPercentEncoding(trimmed))
        return fail(tr("bad percent-encoding"));
    const QUrl u(trimmed, QUrl::StrictMode);
    if (!u.isValid())
        return fail(u.errorString().section(QLatin1Char(';'), 0, 0));
    const QString scheme = u.scheme();
    if (scheme != QLatin1String("postgres") && scheme != QLatin1String("postgresql"))
        return fail(tr("scheme must be postgres:// or postgresql://, not '%1'").arg(scheme.left(20)));
    ConnectionSettings s;
    s.host = u.host(QUrl::FullyDecoded);
    if (u.port() == 0)
        return fail(tr("port 0"));
    s.port = u.port(0);
    QString path = u.path(QUrl::FullyDecoded);
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.contains(QLatin1Char('/')))
        return fail(tr("database name '%1' contains '/'").arg(path.left(40)));
    s.database = path;
    s.user = u.userName(QUrl::FullyDecoded);
    s.password = u.password(QUrl::FullyDecoded);
    const QUrlQuery query(u);
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        const QString &key = item.first;
        const QString &value = item.second;
        if (key == QLatin1String("sslmode")) {
            if (!kSslModes.contains(value))
                return fail(tr("sslmode '%1' is not one of %2").arg(value.left(20), kSslModes.join(QLatin1String(", "))));
            s.sslMode = value;
        } else if (key == QLatin1String("sslrootcert")) {
            s.sslRootCert = value;
        } else if (key == QLatin1String("host")) {
            s.host = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            const int p = value.toInt(&ok);
            if (!ok || p <= 0 || p > 65535)
                return fail(tr("port '%1'").arg(value.left(20)));
            s.port = p;
        } else if (key == QLatin1String("user")) {
            s.user = value;
        } else if (key == QLatin1String("password")) {
            s.password = value;
        } else if (key == QLatin1String("dbname")) {
            s.database = value;
        } else if (key == QLatin1String("application_name") || key == QLatin1String("connect_timeout")) {
            // application_name is always rollup-console; connect_timeout is set by the console.
        } else {
            return fail(tr("unsupported parameter '%1'").arg(key.left(30)));
        }
    }
    s.source = QStringLiteral("URL");
    return s;
}

std::optional<ConnectionSettings> ConnectionSettings::fromEnvironment(const QProcessEnvironment &env, QString *error)
{
    const QString replicaUrl = env.value(QStringLiteral("ROLLUP_REPLICA_URL")).trimmed();
    if (!replicaUrl.isEmpty()) {
        QString why;
        if (!fromUrl(replicaUrl, &why)) {
            if (error)
                *error = QStringLiteral("ROLLUP_REPLICA_URL: %1").arg(why);
            return std::nullopt;
        }
    }
    auto withReplica = [&replicaUrl](ConnectionSettings s) {
        s.replicaUrl = replicaUrl;
        return s;
    };
    const QString url = env.value(QStringLiteral("DATABASE_URL"));
    if (!url.isEmpty()) {
        auto s = fromUrl(url, error);
        if (!s && error)
            *error = QStringLiteral("DATABASE_URL: %1").arg(*error);
        if (s)
            s->source = QStringLiteral("DATABASE_URL");
        return s ? std::optional(withReplica(*s)) : std::nullopt;
    }
    if (env.contains(QStringLiteral("POSTGRES_HOST")) || env.contains(QStringLiteral("POSTGRES_DATABASE"))) {
        ConnectionSettings s;
        s.host = env.value(QStringLiteral("POSTGRES_HOST"));
        const QString port = env.value(QStringLiteral("POSTGRES_PORT"));
        if (!port.isEmpty()) {
            bool ok = false;
            s.port = port.toInt(&ok);
            if (!ok || s.port <= 0 || s.port > 65535) {
                if (error)
                    *error = tr("POSTGRES_PORT '%1' is not a port number").arg(port.left(20));
                return std::nullopt;
            }
        }
        s.user = env.value(QStringLiteral("POSTGRES_USERNAME"));
        s.password = env.value(QStringLiteral("POSTGRES_PASSWORD"));
        s.database = env.value(QStringLiteral("POSTGRES_DATABASE"));
        s.source = QStringLiteral("POSTGRES_*");
        return withReplica(s);
    }
    ConnectionSettings s;
    s.source = QStringLiteral("libpq environment");
    return withReplica(s);
}

std::optional<ConnectionSettings> ConnectionSettings::replica(QString *error) const
{
    if (!hasReplica()) {
        if (error)
            *error = tr("no replica");
        return std::nullopt;
    }
    QString why;
    std::optional<ConnectionSettings> r = fromUrl(replicaUrl, &why);
    if (!r) {
        if (error)
            *error = tr("replica: %1").arg(why);
        return std::nullopt;
    }
    if (r->user.isEmpty())
        r->user = user;
    if (r->password.isEmpty() && r->user == user)
        r->password = password;
    if (r->database.isEmpty())
        r->database = database;
    if (r->sslMode.isEmpty())
        r->sslMode = sslMode;
    if (r->sslRootCert.isEmpty())
        r->sslRootCert = sslRootCert;
    r->readOnly = true;
    r->lockTimeoutMs = lockTimeoutMs;
    r->statementTimeoutMs = statementTimeoutMs;
    r->idleInTransactionTimeoutMs = idleInTransactionTimeoutMs;
    r->replicaUrl.clear();
    r->source = tr("replica");
    return r;
}

QString ConnectionSettings::replicaUrlWithoutPassword() const
{
    if (!hasReplica())
        return {};
    QString why;
    const std::optional<ConnectionSettings> r = fromUrl(replicaUrl, &why);
    return r ? r->toUrl() : QString();
}

QString ConnectionSettings::driverOptions() const
{
    QStringList opts;
    // A conninfo value in single quotes (backslash escapes ' and \\); Qt joins the options
    // with spaces after splitting them on ';', so a ';' cannot appear in a value.
    QString appName = Identity::applicationName();
    appName.replace(QLatin1Char(';'), QLatin1Char(','))
        .replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('\''), QStringLiteral("\\'"));
    opts << QStringLiteral("application_name='%1'").arg(appName) << QStringLiteral("connect_timeout=10");
    if (!sslMode.isEmpty())
        opts << QStringLiteral("sslmode=%1").arg(sslMode);
    if (!sslRootCert.isEmpty())
        opts << QStringLiteral("sslrootcert=%1").arg(sslRootCert);
    return opts.join(QLatin1Char(';'));
}

ConnectionSettings ConnectionSettings::withLibpqEnvironment() const
{
    ConnectionSettings s = *this;
    if (s.host.isEmpty())
        s.host = qEnvironmentVariable("PGHOST");
    if (!s.port)
        s.port = qEnvironmentVariableIntValue("PGPORT");
    if (s.user.isEmpty())
        s.user = qEnvironmentVariable("PGUSER");
    if (s.database.isEmpty())
        s.database = qEnvironmentVariable("PGDATABASE");
    return s;
}

QString ConnectionSettings::toDisplayString() const
{
    const ConnectionSettings e = withLibpqEnvironment();
    return QStringLiteral("%1@%2%3/%4")
        .arg(e.user.isEmpty() ? tr("(default user)") : e.user, e.host.isEmpty() ? QStringLiteral("localhost") : e.host,
             e.port ? QStringLiteral(":%1").arg(e.port) : QString(), e.database);
}

QString ConnectionSettings::toUrl() const
{
    QUrl u;
    u.setScheme(QStringLiteral("postgres"));
    u.setHost(host);
    if (port)
        u.setPort(port);
    u.setUserName(user);
    u.setPath(QStringLiteral("/") + database);
    QUrlQuery q;
    if (!sslMode.isEmpty())
        q.addQueryItem(QStringLiteral("sslmode"), sslMode);
    if (!sslRootCert.isEmpty())
        q.addQueryItem(QStringLiteral("sslrootcert"), sslRootCert);
    u.setQuery(q);
    return u.toString();
}

} // namespace rollup
