#pragma once

#include "core/connectionsettings.h"
#include "db/connection.h"

#include <QString>

#include <memory>

namespace rollup {

// A fresh database with the Chatwoot-shaped schema on the test server (PGHOST/PGPORT/PGUSER
// from scripts/test.sh) or on a server of the test's own. Dropped again by the destructor. Tests fail (not skip) when the
// server is missing: the README's test command always provides it.
class TestDatabase
{
public:
    explicit TestDatabase(const QString &prefix, bool withSchema = true);
    // The same on another server (a test's own): `server` names its postgres database.
    TestDatabase(const QString &prefix, const ConnectionSettings &server, bool withSchema = true);
    ~TestDatabase();

    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    ConnectionSettings settings() const { return m_settings; }
    QString url() const; // postgres:// URL of the database
    Connection &connection() { return *m_connection; } // opened in the creating thread
    QString name() const { return m_name; }

    // Opens a fresh connection (after the server was restarted).
    void reconnect() { m_connection = std::make_unique<Connection>(m_settings); }

    // Helpers for fixtures: bound-value inserts.
    void exec(const QString &sql, const QVariantList &values = {});
    qint64 scalar(const QString &sql, const QVariantList &values = {});

    static ConnectionSettings serverSettings(); // the server's postgres database

private:
    bool m_ok = false;
    QString m_error;
    QString m_name;
    ConnectionSettings m_server;
    ConnectionSettings m_settings;
    std::unique_ptr<Connection> m_connection;
};

} // namespace rollup
