#include "testdatabase.h"

#include "db/dberror.h"
#include "db/schema.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QRandomGenerator>

namespace rollup {

ConnectionSettings TestDatabase::serverSettings()
{
    ConnectionSettings s;
    s.host = qEnvironmentVariable("PGHOST");
    s.port = qEnvironmentVariableIntValue("PGPORT");
    s.user = qEnvironmentVariable("PGUSER");
    s.database = QStringLiteral("postgres");
    s.source = QStringLiteral("test server");
    return s;
}

TestDatabase::TestDatabase(const QString &prefix, bool withSchema) : TestDatabase(prefix, serverSettings(), withSchema)
{
}

TestDatabase::TestDatabase(const QString &prefix, const ConnectionSettings &server, bool withSchema) : m_server(server)
{
    if (server.port == 0) {
        m_error = QStringLiteral("no test server: run the suite through scripts/test.sh (README command b)");
        return;
    }
    m_name = QStringLiteral("%1_%2_%3")
                 .arg(prefix)
                 .arg(QCoreApplication::applicationPid())
                 .arg(QRandomGenerator::global()->bounded(1000000));
    try {
        {
            Connection admin(m_server);
            admin.runScript(QStringLiteral("CREATE DATABASE %1").arg(m_name)); // generated name, not user input
        }
        m_settings = m_server;
        m_settings.database = m_name;
        m_connection = std::make_unique<Connection>(m_settings);
        if (withSchema)
            Schema::create(*m_connection);
        m_ok = true;
    } catch (const DbError &e) {
        m_error = e.message();
    }
}

TestDatabase::~TestDatabase()
{
    m_connection.reset();
    if (m_name.isEmpty() || m_error.startsWith(QLatin1String("no test server")))
        return;
    try {
        Connection admin(m_server);
        admin.runScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    } catch (const DbError &) {
    }
}

QString TestDatabase::url() const
{
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(m_settings.user, m_settings.host).arg(m_settings.port).arg(m_name);
}

void TestDatabase::exec(const QString &sql, const QVariantList &values)
{
    if (values.isEmpty())
        m_connection->runScript(sql); // DDL cannot be prepared
    else
        m_connection->run(sql, values);
}

qint64 TestDatabase::scalar(const QString &sql, const QVariantList &values)
{
    QSqlQuery q = m_connection->run(sql, values);
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace rollup
