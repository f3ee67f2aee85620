#pragma once

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace rollup {

// Where to connect. Empty fields are left to libpq (PG* environment, ~/.pgpass, defaults).
// Value type; safe to copy across threads. The password never leaves this struct except into
// the driver: toDisplayString() and profile storage omit it.
struct ConnectionSettings
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionSettings)

public:
    QString host;
    int port = 0;               // 0: libpq default
    QString database;
    QString user;
    QString password;
    QString sslMode;            // disable, allow, prefer, require, verify-ca, verify-full or empty
    QString sslRootCert;
    bool readOnly = false;      // default_transaction_read_only = on, enforced by the server
    int lockTimeoutMs = 0;      // 0: server default
    int statementTimeoutMs = 0; // 0: server default
    QString source;             // "--database-url", "DATABASE_URL", "POSTGRES_*", "libpq environment", "demo", ...

    // postgres://user:pass@host:port/db?sslmode=...&sslrootcert=...; nullopt and a one-line
    // error for anything malformed.
    static std::optional<ConnectionSettings> fromUrl(const QString &url, QString *error);
    // Precedence: DATABASE_URL, then Chatwoot's POSTGRES_* (when POSTGRES_HOST or
    // POSTGRES_DATABASE is set), then libpq's own PG* variables (left to libpq).
    static std::optional<ConnectionSettings> fromEnvironment(const QProcessEnvironment &env, QString *error);

    // libpq keyword/value options besides host/port/db/user/password, for QSqlDatabase.
    QString driverOptions() const;
    // user@host:port/db, without the password
    QString toDisplayString() const;
    // postgres:// URL without the password
    QString toUrl() const;
};

} // namespace rollup
